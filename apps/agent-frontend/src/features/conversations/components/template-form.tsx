import { draftKey } from './draft-key.js';
import { Field } from './field.js';
import { RepeatedRows } from './repeated-rows.js';

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
      <RepeatedRows
        rows={draft.parameters}
        onChange={(parameters) => onChange({ ...draft, parameters })}
        renderFields={({ value }, index, update) => (
          <Field
            label={`Body parameter {{${index + 1}}}`}
            value={value}
            max={1024}
            onChange={(v) => update({ value: v })}
          />
        )}
        newRow={() => ({ key: draftKey(), value: '' })}
        noun="parameter"
      />
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
