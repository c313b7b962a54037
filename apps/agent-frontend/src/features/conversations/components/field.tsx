import { useId } from 'react';

export interface FieldProps {
  label: string;
  value: string;
  max: number;
  onChange: (value: string) => void;
  multiline?: boolean;
  optional?: boolean;
  placeholder?: string;
  /** A `data-testid` on the input, for the browser tests. */
  testId?: string;
}

/** A labelled input that cannot exceed Meta's limit and shows how much is left. */
export function Field({ label, value, max, onChange, multiline, optional, placeholder, testId }: FieldProps) {
  const id = useId();
  const common = {
    id,
    value,
    maxLength: max,
    placeholder,
    'data-testid': testId,
    onChange: (event: { target: { value: string } }) => onChange(event.target.value.slice(0, max)),
  };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional ? <span className="muted"> (optional)</span> : null}
      </label>
      {multiline ? <textarea rows={2} {...common} /> : <input type="text" {...common} />}
      <span className={`counter ${value.length >= max ? 'counter-full' : ''}`}>
        {value.length}/{max}
      </span>
    </div>
  );
}

/** The message text of an interactive reply (buttons or list), under that kind's limit. */
export function BodyField({ value, max, onChange }: Pick<FieldProps, 'value' | 'max' | 'onChange'>) {
  return <Field label="Message" value={value} max={max} multiline onChange={onChange} />;
}
