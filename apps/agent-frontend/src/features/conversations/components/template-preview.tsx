import type { OperatorTemplate } from '@wa-broker/shared/operator-protocol';
import { variablesOf } from '@wa-broker/shared/template-definition-rules';
import { Fragment, type ReactNode } from 'react';
import { FilePreview } from './media-draft-form.js';

/** The values typed so far, by part and variable name (`1`, `order_id`). */
export interface TemplateValues {
  header: Record<string, string>;
  body: Record<string, string>;
  /** Each button's value, by the button's index in the template (`0`, `1`…). */
  buttons: Record<string, string>;
}

const variable = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** A text with its variables filled as typed; an empty one stays `{{name}}`, highlighted. */
function Filled({ text, values }: { text: string; values: Record<string, string> }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(variable)) {
    const name = match[1] as string;
    parts.push(text.slice(last, match.index));
    const value = values[name]?.trim();
    parts.push(
      value ? (
        <span key={`${match.index}`} className="param-filled" data-param={name}>
          {value}
        </span>
      ) : (
        <mark key={`${match.index}`} className="param-empty" data-param={name}>
          {match[0]}
        </mark>
      ),
    );
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text never move
        <Fragment key={index}>{part}</Fragment>
      ))}
    </>
  );
}

/** How the user will see the template: header (its file once chosen), body, footer and buttons, filled live. */
export function TemplatePreview({
  template,
  values,
  headerFile,
}: {
  template: OperatorTemplate;
  values: TemplateValues;
  headerFile?: File | null;
}) {
  const component = (type: string) => template.components.find((each) => each.type === type);
  const header = component('HEADER');
  const body = component('BODY');
  const footer = component('FOOTER');
  const buttons = component('BUTTONS')?.buttons ?? [];
  const headerFormat = header?.format ?? 'TEXT';
  return (
    <section
      className="template-preview bubble bubble-out"
      data-testid="template-preview"
      aria-label="Preview"
    >
      {header &&
        (headerFormat === 'TEXT' ? (
          <strong className="template-preview-header">
            <Filled text={header.text ?? ''} values={values.header} />
          </strong>
        ) : headerFile && headerFormat !== 'LOCATION' ? (
          <div className="template-preview-media" data-testid="template-preview-header-file">
            <FilePreview
              file={headerFile}
              type={headerFormat.toLowerCase() as 'image' | 'video' | 'document'}
            />
          </div>
        ) : (
          <span className="template-preview-media muted">[{headerFormat.toLowerCase()} header]</span>
        ))}
      <p className="template-preview-body">
        <Filled text={body?.text ?? ''} values={values.body} />
      </p>
      {footer?.text && <small className="muted">{footer.text}</small>}
      {buttons.length > 0 && (
        <ul className="template-preview-buttons">
          {buttons.map((button, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a template's buttons are fixed
            <li key={index}>
              {button.text ?? button.type.toLowerCase()}
              <ButtonValue button={button} value={values.buttons[String(index)]} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A URL button's address with its suffix filled, a copy-code button's code. */
function ButtonValue({
  button,
  value,
}: {
  button: { type: string; url?: string | undefined };
  value: string | undefined;
}) {
  if (button.type === 'URL' && button.url?.includes('{{'))
    return (
      <small className="template-preview-url muted">
        {' '}
        <Filled
          text={button.url}
          values={Object.fromEntries(variablesOf(button.url).map((name) => [name, value ?? '']))}
        />
      </small>
    );
  if (button.type === 'COPY_CODE')
    return (
      <small className="template-preview-code muted">
        {' '}
        {value?.trim() ? (
          <span className="param-filled">{value.trim()}</span>
        ) : (
          <mark className="param-empty">code</mark>
        )}
      </small>
    );
  return null;
}
