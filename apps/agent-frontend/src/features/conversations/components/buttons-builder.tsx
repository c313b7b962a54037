import { metaLimits } from '@wa-broker/shared/meta-limits';
import { draftKey } from './draft-key.js';
import { BodyField, Field } from './field.js';
import { RepeatedRows } from './repeated-rows.js';

export interface ButtonsDraft {
  body: string;
  footer: string;
  buttons: { key: string; title: string }[];
}

const newButton = () => ({ key: draftKey(), title: '' });
export const emptyButtons = (): ButtonsDraft => ({ body: '', footer: '', buttons: [newButton()] });
const limits = metaLimits.buttons;

export function ButtonsBuilder({
  draft,
  onChange,
}: {
  draft: ButtonsDraft;
  onChange: (d: ButtonsDraft) => void;
}) {
  return (
    <div className="builder">
      <BodyField value={draft.body} max={limits.body} onChange={(body) => onChange({ ...draft, body })} />
      <RepeatedRows
        rows={draft.buttons}
        onChange={(buttons) => onChange({ ...draft, buttons })}
        renderFields={({ title }, index, update) => (
          <Field
            label={`Button ${index + 1}`}
            value={title}
            max={limits.title}
            onChange={(t) => update({ title: t })}
          />
        )}
        newRow={newButton}
        noun="button"
        max={limits.count}
        minRows={1}
      />
      <Field
        label="Footer"
        optional
        value={draft.footer}
        max={limits.footer}
        onChange={(footer) => onChange({ ...draft, footer })}
      />
    </div>
  );
}

export function buttonsReplyOf(draft: ButtonsDraft) {
  return {
    kind: 'buttons' as const,
    body: draft.body,
    ...(draft.footer.trim() ? { footer: draft.footer } : {}),
    buttons: draft.buttons.map(({ title }, index) => ({ id: `button-${index + 1}`, title })),
  };
}
