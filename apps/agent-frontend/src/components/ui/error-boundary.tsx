import { Component, type ReactNode } from 'react';

interface Props {
  area: string;
  children: ReactNode;
}

/** Keeps a crash in one area (the list, the chat) from blanking the whole inbox. */
export class ErrorBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidCatch(error: unknown) {
    console.error(`${this.props.area} crashed`, error);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="crashed" role="alert">
        <p>The {this.props.area} could not be shown.</p>
        <button type="button" onClick={() => this.setState({ failed: false })}>
          Try again
        </button>
      </div>
    );
  }
}
