import { draftKey } from './draft-key.js';
import { Field } from './field.js';

export interface TemplateDraft {
  name: string;
  language: string;
  parameters: { key: string; value: string }[];
}

export const emptyTemplate: TemplateDraft = { name: '', language: 'en_US', parameters: [] };

export function TemplateForm({
  draft,
  onChange,
}: {
  draft: TemplateDraft;
  onChange: (d: TemplateDraft) => void;
}) {
  return (
    <div className="builder">
      <Field
        label="Approved template name"
        value={draft.name}
        max={512}
        onChange={(name) => onChange({ ...draft, name })}
      />
      <Field
        label="Language"
        value={draft.language}
        max={15}
        onChange={(language) => onChange({ ...draft, language })}
      />
      {draft.parameters.map(({ key, value }, index) => (
        <div className="builder-row" key={key}>
          <Field
            label={`Body parameter {{${index + 1}}}`}
            value={value}
            max={1024}
            onChange={(v) =>
              onChange({
                ...draft,
                parameters: draft.parameters.map((p, i) => (i === index ? { key, value: v } : p)),
              })
            }
          />
          <button
            type="button"
            className="link"
            onClick={() => onChange({ ...draft, parameters: draft.parameters.filter((_, i) => i !== index) })}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className="link"
        onClick={() =>
          onChange({ ...draft, parameters: [...draft.parameters, { key: draftKey(), value: '' }] })
        }
      >
        + Add parameter
      </button>
    </div>
  );
}

export function templateReplyOf(draft: TemplateDraft) {
  return {
    kind: 'template' as const,
    name: draft.name,
    language: draft.language,
    body_parameters: draft.parameters.map((parameter) => parameter.value),
  };
}
