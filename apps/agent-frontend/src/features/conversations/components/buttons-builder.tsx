import { metaLimits } from '@wa-broker/shared/meta-limits';
import { draftKey } from './draft-key.js';
import { Field } from './field.js';

export interface ButtonsDraft {
  body: string;
  footer: string;
  buttons: { key: string; title: string }[];
}

export const emptyButtons = (): ButtonsDraft => ({
  body: '',
  footer: '',
  buttons: [{ key: draftKey(), title: '' }],
});
const limits = metaLimits.buttons;

export function ButtonsBuilder({
  draft,
  onChange,
}: {
  draft: ButtonsDraft;
  onChange: (d: ButtonsDraft) => void;
}) {
  const setTitle = (index: number, title: string) =>
    onChange({ ...draft, buttons: draft.buttons.map((b, i) => (i === index ? { ...b, title } : b)) });
  return (
    <div className="builder">
      <Field
        label="Message"
        value={draft.body}
        max={limits.body}
        multiline
        onChange={(body) => onChange({ ...draft, body })}
      />
      {draft.buttons.map(({ key, title }, index) => (
        <div className="builder-row" key={key}>
          <Field
            label={`Button ${index + 1}`}
            value={title}
            max={limits.title}
            onChange={(t) => setTitle(index, t)}
          />
          {draft.buttons.length > 1 && (
            <button
              type="button"
              className="link"
              onClick={() => onChange({ ...draft, buttons: draft.buttons.filter((_, i) => i !== index) })}
            >
              Remove
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        className="link"
        disabled={draft.buttons.length >= limits.count}
        onClick={() => onChange({ ...draft, buttons: [...draft.buttons, { key: draftKey(), title: '' }] })}
      >
        + Add button {draft.buttons.length >= limits.count ? `(WhatsApp allows ${limits.count})` : ''}
      </button>
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
