import { appTitle } from './app-title.js';

/** Placeholder shell; the operator inbox is built by the demo-agent issue. */
export function App() {
  return (
    <main>
      <h1>{appTitle('Agent A')}</h1>
      <p>The operator inbox arrives with the demo-agent work.</p>
    </main>
  );
}
