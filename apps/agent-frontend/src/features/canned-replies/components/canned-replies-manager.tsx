import { useState } from 'react';
import type { CannedOutcome, CannedReplies } from '../api/canned-replies.js';
import { CannedReplyForm } from './canned-reply-form.js';

/** The team's canned replies: list, create, edit, delete. Operators insert them by typing their shortcut. */
export function CannedRepliesManager({ canned }: { canned: CannedReplies }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const report = (outcome: CannedOutcome) => setProblem(outcome.ok ? null : outcome.message);
  return (
    <section className="admin" aria-label="Canned replies">
      <h2>Canned replies</h2>
      <p className="muted">
        Type a shortcut in the composer (e.g. /refund), then Enter or Tab inserts its text.
      </p>
      {problem && (
        <p className="field-problem" role="alert">
          {problem}
        </p>
      )}
      {canned.replies === null ? (
        <p className="muted">Loading…</p>
      ) : canned.replies.length === 0 ? (
        <p className="muted">No canned replies yet.</p>
      ) : (
        <ul className="canned-list">
          {canned.replies.map((reply) => (
            <li key={reply.id} data-testid="canned-row" data-shortcut={reply.shortcut}>
              {editing === reply.id ? (
                <CannedReplyForm
                  initial={reply}
                  submitLabel="Save"
                  onCancel={() => setEditing(null)}
                  onSubmit={async (shortcut, text) => {
                    const outcome = await canned.update(reply.id, { shortcut, text });
                    if (outcome.ok) setEditing(null);
                    return outcome;
                  }}
                />
              ) : (
                <>
                  <strong>{reply.shortcut}</strong>
                  <p>{reply.text}</p>
                  <span className="admin-actions">
                    <button type="button" className="secondary" onClick={() => setEditing(reply.id)}>
                      Edit
                    </button>
                    <button
                      type="button"
                      className="danger"
                      onClick={async () => {
                        if (window.confirm(`Delete ${reply.shortcut}?`))
                          report(await canned.remove(reply.id));
                      }}
                    >
                      Delete
                    </button>
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3>New canned reply</h3>
      <CannedReplyForm submitLabel="Add canned reply" onSubmit={canned.create} />
    </section>
  );
}
