import type { OperatorNote } from '@wa-broker/shared/operator-protocol';
import { type FormEvent, useState } from 'react';
import type { Failure } from '../api/describe-failure.js';
import { shortTime } from './format.js';

export interface NotesPanelProps {
  /** Oldest first; null while loading. */
  notes: OperatorNote[] | null;
  now: Date;
  onAdd: (text: string) => Promise<Failure | null>;
}

/** Internal notes: seen by operators only. Its own form and request (`add_note`): never the reply path. */
export function NotesPanel({ notes, now, onAdd }: NotesPanelProps) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    const failure = await onAdd(text.trim());
    setBusy(false);
    setProblem(failure?.message ?? null);
    if (!failure) setText('');
  };
  return (
    <section className="notes" aria-label="Internal notes" data-testid="notes-panel">
      <p className="notes-hint">Only operators see these notes; they are never sent to the user.</p>
      {notes === null ? (
        <p className="muted">Loading notes…</p>
      ) : notes.length === 0 ? (
        <p className="muted">No notes yet.</p>
      ) : (
        <ol className="note-list">
          {notes.map((note) => (
            <li key={note.id} className="note" data-testid="note">
              <p>{note.text}</p>
              <span className="note-meta">
                {note.author_name} · {shortTime(note.created_at, now)}
              </span>
            </li>
          ))}
        </ol>
      )}
      <form className="note-form" onSubmit={submit} aria-label="Add a note">
        <textarea
          aria-label="Note"
          placeholder="Write a note for your colleagues…"
          value={text}
          rows={2}
          maxLength={4000}
          onChange={(event) => setText(event.target.value)}
        />
        {problem && (
          <p className="field-problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="note-button" disabled={busy || !text.trim()}>
          Add note
        </button>
      </form>
    </section>
  );
}
