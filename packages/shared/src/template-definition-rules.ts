import {
  type ParameterFormat,
  type TemplateComponentDefinition,
  type TemplateParameterSpec,
  templateCategories,
} from './message-templates.js';

/**
 * Meta's rules for a template definition (issue 19), owned here for the admin (before it submits one) and the
 * simulator (which answers as Meta does); what a send must give follows from the definition
 * ({@link templateParameterSpec}); the send rules are in template-send-rules.ts. Source: Meta's template
 * creation limits (name, header 60, body 1024, footer 60, up to 10 buttons, examples for every variable).
 */
export const templateLimits = {
  nameMaxLength: 512,
  headerTextMaxLength: 60,
  headerTextMaxVariables: 1,
  bodyMaxLength: 1024,
  footerMaxLength: 60,
  buttonsMax: 10,
  quickReplyTextMaxLength: 25,
  buttonTextMaxLength: 25,
  urlButtonsMax: 2,
  phoneButtonsMax: 1,
} as const;

/** A rule a template definition or send breaks, by field: what both rule sets answer with. */
export interface TemplateProblem {
  /** Where, in the request: `name`, `components[1].text`, `template.components[0].parameters`, … */
  field: string;
  message: string;
  /** On a send: the code Meta would answer with. */
  metaCode?: number;
}

/** Meta's template names: lowercase letters, digits and underscores. */
export const templateNamePattern = /^[a-z0-9_]+$/;
const namedVariablePattern = /^[a-z][a-z0-9_]*$/;
const variablePattern = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** The variables of a text (`{{1}}`, `{{order_id}}`), each once, in the order it first uses them. */
export function variablesOf(text: string | undefined): string[] {
  if (!text) return [];
  const names: string[] = [];
  for (const match of text.matchAll(variablePattern)) {
    const name = match[1] as string;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** What a send must give for a template defined by `components` (see {@link TemplateParameterSpec}). */
export function templateParameterSpec(components: TemplateComponentDefinition[]): TemplateParameterSpec {
  const header = components.find((component) => component.type === 'HEADER');
  const body = components.find((component) => component.type === 'BODY');
  const buttons = components.find((component) => component.type === 'BUTTONS')?.buttons ?? [];
  return {
    header: header
      ? {
          format: header.format ?? 'TEXT',
          names: (header.format ?? 'TEXT') === 'TEXT' ? variablesOf(header.text) : [],
        }
      : null,
    body: { names: variablesOf(body?.text) },
    buttons: buttons.flatMap((button, index) => {
      const names =
        button.type === 'URL'
          ? variablesOf(button.url)
          : button.type === 'COPY_CODE' || button.type === 'OTP'
            ? ['code']
            : [];
      return names.length > 0 ? [{ index, type: button.type, names }] : [];
    }),
  };
}

/** The definition Meta's create endpoint takes (`POST /{waba-id}/message_templates`). */
export interface TemplateDefinitionInput {
  name: string;
  language: string;
  category: string;
  parameter_format?: ParameterFormat;
  components: TemplateComponentDefinition[];
}

/**
 * Everything Meta would refuse in a template definition, by field, before it is submitted: name format,
 * category, component limits, variables in order with an example each.
 */
export function checkTemplateDefinition(input: TemplateDefinitionInput): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (!templateNamePattern.test(input.name))
    add('name', 'use lowercase letters, digits and underscores only (e.g. order_update)');
  if (input.name.length > templateLimits.nameMaxLength)
    add('name', `at most ${templateLimits.nameMaxLength} characters`);
  if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(input.language))
    add('language', 'a language code Meta knows, e.g. en, en_US, pt_BR');
  if (!(templateCategories as readonly string[]).includes(input.category))
    add('category', `one of ${templateCategories.join(', ')}`);
  const format = input.parameter_format ?? 'POSITIONAL';
  const counts = new Map<string, number>();
  input.components.forEach((component, index) => {
    counts.set(component.type, (counts.get(component.type) ?? 0) + 1);
    const at = `components[${index}]`;
    if (component.type === 'HEADER') checkHeader(component, at, format, add);
    if (component.type === 'BODY') checkBody(component, at, format, add);
    if (component.type === 'FOOTER') {
      if (!component.text) add(`${at}.text`, 'a footer needs its text');
      else if (component.text.length > templateLimits.footerMaxLength)
        add(`${at}.text`, `at most ${templateLimits.footerMaxLength} characters`);
      if (variablesOf(component.text).length > 0) add(`${at}.text`, 'a footer cannot have variables');
    }
    if (component.type === 'BUTTONS') checkButtons(component, at, add);
  });
  if (!counts.get('BODY')) add('components', 'a template needs a BODY component');
  for (const [type, count] of counts)
    if (count > 1) add('components', `at most one ${type} component (found ${count})`);
  return problems;
}

type Add = (field: string, message: string) => void;

function checkVariables(
  names: string[],
  text: string,
  at: string,
  format: ParameterFormat,
  examples: unknown[] | undefined,
  add: Add,
  isBody = false,
) {
  if (names.length === 0) return;
  if (format === 'POSITIONAL') {
    const expected = names.map((_, index) => String(index + 1));
    if (names.join() !== expected.join())
      add(`${at}.text`, `positional variables must be {{1}}, {{2}}… in order (found ${names.join(', ')})`);
  } else {
    for (const name of names)
      if (!namedVariablePattern.test(name))
        add(`${at}.text`, `variable {{${name}}}: named variables use lowercase letters, digits and _`);
  }
  // Meta's rule for the body: a message cannot open or close on a variable.
  if (isBody && (text.trim().startsWith('{{') || text.trim().endsWith('}}')))
    add(`${at}.text`, 'the text cannot start or end with a variable');
  if (!examples || examples.length < names.length)
    add(`${at}.example`, `give an example for each of the ${names.length} variable(s)`);
}

function examplesOf(
  component: TemplateComponentDefinition,
  kind: 'header' | 'body',
  format: ParameterFormat,
) {
  const example = component.example ?? {};
  if (format === 'NAMED') {
    const named = example[`${kind}_text_named_params`];
    return Array.isArray(named) ? named : undefined;
  }
  const positional = example[`${kind}_text`];
  if (!Array.isArray(positional)) return undefined;
  // Meta nests the body's examples one level deeper (one list per sample message).
  return kind === 'body' && Array.isArray(positional[0]) ? (positional[0] as unknown[]) : positional;
}

function checkHeader(component: TemplateComponentDefinition, at: string, format: ParameterFormat, add: Add) {
  const kind = component.format ?? 'TEXT';
  if (kind === 'TEXT') {
    const text = component.text ?? '';
    if (!text) add(`${at}.text`, 'a text header needs its text');
    if (text.length > templateLimits.headerTextMaxLength)
      add(`${at}.text`, `at most ${templateLimits.headerTextMaxLength} characters`);
    const names = variablesOf(text);
    if (names.length > templateLimits.headerTextMaxVariables)
      add(`${at}.text`, `a header has at most ${templateLimits.headerTextMaxVariables} variable`);
    checkVariables(names, text, at, format, examplesOf(component, 'header', format), add);
  } else if (kind !== 'LOCATION') {
    const handle = component.example?.header_handle;
    if (!Array.isArray(handle) || handle.length === 0)
      add(
        `${at}.example.header_handle`,
        `a ${kind.toLowerCase()} header needs a sample file (its upload handle)`,
      );
  }
}

function checkBody(component: TemplateComponentDefinition, at: string, format: ParameterFormat, add: Add) {
  const text = component.text ?? '';
  if (!text) add(`${at}.text`, 'the body needs its text');
  if (text.length > templateLimits.bodyMaxLength)
    add(`${at}.text`, `at most ${templateLimits.bodyMaxLength} characters`);
  checkVariables(variablesOf(text), text, at, format, examplesOf(component, 'body', format), add, true);
}

function checkButtons(component: TemplateComponentDefinition, at: string, add: Add) {
  const buttons = component.buttons ?? [];
  if (buttons.length === 0) add(`${at}.buttons`, 'a BUTTONS component needs at least one button');
  if (buttons.length > templateLimits.buttonsMax)
    add(`${at}.buttons`, `at most ${templateLimits.buttonsMax} buttons`);
  const urls = buttons.filter((button) => button.type === 'URL');
  if (urls.length > templateLimits.urlButtonsMax)
    add(`${at}.buttons`, `at most ${templateLimits.urlButtonsMax} URL buttons`);
  if (buttons.filter((button) => button.type === 'PHONE_NUMBER').length > templateLimits.phoneButtonsMax)
    add(`${at}.buttons`, `at most ${templateLimits.phoneButtonsMax} phone number button`);
  buttons.forEach((button, index) => {
    const where = `${at}.buttons[${index}]`;
    if (button.text !== undefined && button.text.length > templateLimits.buttonTextMaxLength)
      add(`${where}.text`, `at most ${templateLimits.buttonTextMaxLength} characters`);
    if (button.type === 'URL') {
      if (!button.url) add(`${where}.url`, 'a URL button needs its url');
      const names = variablesOf(button.url);
      if (names.length > 1 || (names.length === 1 && !button.url?.trim().endsWith('}}')))
        add(`${where}.url`, 'a URL can end with one variable, nowhere else');
      if (names.length === 1 && (!button.example || button.example.length === 0))
        add(`${where}.example`, 'give an example of the URL with its variable filled');
    }
    if (button.type === 'PHONE_NUMBER' && !button.phone_number)
      add(`${where}.phone_number`, 'a phone number button needs its number');
  });
}
