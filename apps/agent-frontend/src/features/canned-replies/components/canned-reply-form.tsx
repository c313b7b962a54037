import { cannedShortcut } from '@wa-broker/shared/operator-protocol';
import { type FormEvent, useId, useState } from 'react';
import type { CannedOutcome } from '../api/canned-replies.js';

export interface CannedReplyFormProps {
  initial?: { shortcut: string; text: string };
  submitLabel: string;
  onSubmit: (shortcut: string, text: string) => Promise<CannedOutcome>;
  onCancel?: () => void;
}

/** A shortcut (`/refund`: a slash, then a-z 0-9 _ -) and its text, checked with the protocol's own rule. */
export function CannedReplyForm({ initial, submitLabel, onSubmit, onCancel }: CannedReplyFormProps) {
  const [shortcut, setShortcut] = useState(initial?.shortcut ?? '/');
  const [text, setText] = useState(initial?.text ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = cannedShortcut.safeParse(shortcut.toLowerCase());
    const found = {
      ...(checked.success ? {} : { shortcut: 'a slash and up to 31 of a-z 0-9 _ -' }),
      ...(text.trim() ? {} : { text: 'text is required' }),
    };
    if (!checked.success || !text.trim()) {
      setFields(found);
      setProblem('Check the fields below.');
      return;
    }
    setBusy(true);
    const outcome = await onSubmit(checked.data, text.trim());
    setBusy(false);
    if (outcome.ok) {
      setProblem(null);
      setFields({});
      if (!initial) {
        setShortcut('/');
        setText('');
      }
    } else {
      setProblem(outcome.message);
      setFields(outcome.fields);
    }
  };
  return (
    <form
      className="admin-form canned-form"
      aria-label={initial ? 'Edit canned reply' : 'New canned reply'}
      onSubmit={submit}
    >
      <div className="field">
        <label htmlFor={`${id}-shortcut`}>Shortcut</label>
        <input
          id={`${id}-shortcut`}
          value={shortcut}
          onChange={(event) => setShortcut(event.target.value)}
          maxLength={32}
        />
        {fields.shortcut && <span className="field-problem">{fields.shortcut}</span>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-text`}>Text</label>
        <textarea
          id={`${id}-text`}
          value={text}
          rows={3}
          maxLength={4096}
          onChange={(event) => setText(event.target.value)}
        />
        {fields.text && <span className="field-problem">{fields.text}</span>}
      </div>
      {problem && (
        <p className="field-problem" role="alert">
          {problem}
        </p>
      )}
      <span className="admin-actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </span>
    </form>
  );
}
