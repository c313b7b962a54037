import { metaLimits } from '@wa-broker/shared/meta-limits';
import { draftKey } from './draft-key.js';
import { Field } from './field.js';

export interface ListDraft {
  body: string;
  button: string;
  sectionTitle: string;
  rows: { key: string; title: string; description: string }[];
}

export const emptyList = (): ListDraft => ({
  body: '',
  button: 'Options',
  sectionTitle: 'Options',
  rows: [{ key: draftKey(), title: '', description: '' }],
});
const limits = metaLimits.list;

export function ListBuilder({ draft, onChange }: { draft: ListDraft; onChange: (d: ListDraft) => void }) {
  const setRow = (index: number, row: Partial<ListDraft['rows'][number]>) =>
    onChange({ ...draft, rows: draft.rows.map((r, i) => (i === index ? { ...r, ...row } : r)) });
  const isFull = draft.rows.length >= limits.rowsTotal;
  return (
    <div className="builder">
      <Field
        label="Message"
        value={draft.body}
        max={limits.body}
        multiline
        onChange={(body) => onChange({ ...draft, body })}
      />
      <Field
        label="List button label"
        value={draft.button}
        max={limits.button}
        onChange={(button) => onChange({ ...draft, button })}
      />
      <Field
        label="Section title"
        value={draft.sectionTitle}
        max={limits.sectionTitle}
        onChange={(sectionTitle) => onChange({ ...draft, sectionTitle })}
      />
      {draft.rows.map((row, index) => (
        <div className="builder-row" key={row.key}>
          <Field
            label={`Row ${index + 1}`}
            value={row.title}
            max={limits.rowTitle}
            onChange={(title) => setRow(index, { title })}
          />
          <Field
            label="Description"
            optional
            value={row.description}
            max={limits.rowDescription}
            onChange={(description) => setRow(index, { description })}
          />
          {draft.rows.length > 1 && (
            <button
              type="button"
              className="link"
              onClick={() => onChange({ ...draft, rows: draft.rows.filter((_, i) => i !== index) })}
            >
              Remove
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        className="link"
        disabled={isFull}
        onClick={() =>
          onChange({ ...draft, rows: [...draft.rows, { key: draftKey(), title: '', description: '' }] })
        }
      >
        + Add row {isFull ? `(WhatsApp allows ${limits.rowsTotal})` : ''}
      </button>
    </div>
  );
}

export function listReplyOf(draft: ListDraft) {
  return {
    kind: 'list' as const,
    body: draft.body,
    button: draft.button,
    sections: [
      {
        title: draft.sectionTitle,
        rows: draft.rows.map((row, index) => ({
          id: `row-${index + 1}`,
          title: row.title,
          ...(row.description.trim() ? { description: row.description } : {}),
        })),
      },
    ],
  };
}
