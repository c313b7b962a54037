import { metaLimits } from '@wa-broker/shared/meta-limits';
import { draftKey } from './draft-key.js';
import { BodyField, Field } from './field.js';
import { RepeatedRows } from './repeated-rows.js';

export interface ListDraft {
  body: string;
  button: string;
  sectionTitle: string;
  rows: { key: string; title: string; description: string }[];
}

const newRow = () => ({ key: draftKey(), title: '', description: '' });
export const emptyList = (): ListDraft => ({
  body: '',
  button: 'Options',
  sectionTitle: 'Options',
  rows: [newRow()],
});
const limits = metaLimits.list;

export function ListBuilder({ draft, onChange }: { draft: ListDraft; onChange: (d: ListDraft) => void }) {
  return (
    <div className="builder">
      <BodyField value={draft.body} max={limits.body} onChange={(body) => onChange({ ...draft, body })} />
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
      <RepeatedRows
        rows={draft.rows}
        onChange={(rows) => onChange({ ...draft, rows })}
        renderFields={(row, index, update) => (
          <>
            <Field
              label={`Row ${index + 1}`}
              value={row.title}
              max={limits.rowTitle}
              onChange={(title) => update({ title })}
            />
            <Field
              label="Description"
              optional
              value={row.description}
              max={limits.rowDescription}
              onChange={(description) => update({ description })}
            />
          </>
        )}
        newRow={newRow}
        noun="row"
        max={limits.rowsTotal}
        minRows={1}
      />
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
