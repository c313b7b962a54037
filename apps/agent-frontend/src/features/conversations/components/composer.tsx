import {
  type OperatorReply,
  type OperatorReplyKind,
  operatorReply,
  operatorReplyToOutbound,
} from '@wa-broker/shared/operator-protocol';
import { assertOutboundRules, OutboundValidationError } from '@wa-broker/shared/outbound-rules';
import { type FormEvent, useState } from 'react';
import type { SendResult } from '../hooks/use-inbox.js';
import { ButtonsBuilder, buttonsReplyOf, emptyButtons } from './buttons-builder.js';
import { emptyList, ListBuilder, listReplyOf } from './list-builder.js';
import { emptyTemplate, TemplateForm, templateReplyOf } from './template-form.js';

export interface ComposerProps {
  windowOpen: boolean;
  onSend: (reply: OperatorReply) => Promise<SendResult>;
}

const modes: { kind: OperatorReplyKind; label: string }[] = [
  { kind: 'text', label: 'Text' },
  { kind: 'list', label: 'List' },
  { kind: 'buttons', label: 'Buttons' },
  { kind: 'template', label: 'Template' },
];

/** Text, list, buttons or template; outside the 24 h window only templates. Meta's limits are checked here. */
export function Composer({ windowOpen, onSend }: ComposerProps) {
  const [chosen, setChosen] = useState<OperatorReplyKind>('text');
  const mode = windowOpen ? chosen : 'template';
  const [text, setText] = useState('');
  const [list, setList] = useState(emptyList);
  const [buttons, setButtons] = useState(emptyButtons);
  const [template, setTemplate] = useState(emptyTemplate);
  const [problems, setProblems] = useState<string[]>([]);
  const [isSending, setSending] = useState(false);

  const draft = (): OperatorReply | unknown =>
    mode === 'text'
      ? { kind: 'text', text }
      : mode === 'list'
        ? listReplyOf(list)
        : mode === 'buttons'
          ? buttonsReplyOf(buttons)
          : templateReplyOf(template);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const parsed = operatorReply.safeParse(draft());
    if (!parsed.success) {
      setProblems([...new Set(parsed.error.issues.map((issue) => issue.message))]);
      return;
    }
    const refused = brokenRule(parsed.data);
    if (refused) {
      setProblems([refused]);
      return;
    }
    setSending(true);
    const result = await onSend(parsed.data);
    setSending(false);
    if (!result.ok) {
      setProblems([
        result.message,
        ...(result.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`),
      ]);
      return;
    }
    setProblems([]);
    if (mode === 'text') setText('');
    if (mode === 'list') setList(emptyList());
    if (mode === 'buttons') setButtons(emptyButtons());
    if (mode === 'template') setTemplate(emptyTemplate);
  };

  return (
    <form className="composer" onSubmit={submit} aria-label="Reply">
      <div className="modes" role="tablist">
        {modes.map(({ kind, label }) => (
          <button
            key={kind}
            type="button"
            role="tab"
            aria-selected={mode === kind}
            disabled={!windowOpen && kind !== 'template'}
            onClick={() => {
              setChosen(kind);
              setProblems([]);
            }}
          >
            {label}
          </button>
        ))}
      </div>
      {!windowOpen && (
        <p className="notice">
          The user has not written in the last 24 hours: WhatsApp only accepts an approved template.
        </p>
      )}
      {mode === 'text' && (
        <textarea
          className="composer-text"
          aria-label="Message"
          placeholder="Write a reply…"
          value={text}
          rows={2}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) void submit();
            if (event.key === 'Enter' && !event.shiftKey) event.preventDefault();
          }}
        />
      )}
      {mode === 'list' && <ListBuilder draft={list} onChange={setList} />}
      {mode === 'buttons' && <ButtonsBuilder draft={buttons} onChange={setButtons} />}
      {mode === 'template' && <TemplateForm draft={template} onChange={setTemplate} />}
      {problems.length > 0 && (
        <ul className="problems" role="alert">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <div className="composer-actions">
        <button type="submit" className="primary" disabled={isSending}>
          {isSending ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  );
}

/** The router's own check of Meta's limits (shared rules), so the form refuses what the router would. */
function brokenRule(reply: OperatorReply): string | null {
  try {
    assertOutboundRules({ v: 1, waID: 'draft', ...operatorReplyToOutbound(reply) });
    return null;
  } catch (error) {
    if (error instanceof OutboundValidationError) return error.message;
    throw error;
  }
}
