import type {
  CannedReply,
  OperatorReply,
  OperatorReplyKind,
  OperatorTemplate,
} from '@wa-broker/shared/operator-protocol';
import { type FormEvent, type KeyboardEvent, useEffect, useState } from 'react';
import type { MediaUploader } from '../../../lib/media-upload.js';
import type { SendResult } from '../hooks/use-inbox.js';
import { useTypingSignal } from '../hooks/use-typing-signal.js';
import { AttachButton } from './attach-button.js';
import { ButtonsBuilder, buttonsReplyOf, emptyButtons } from './buttons-builder.js';
import { cannedMatches, cannedQuery, insertCanned } from './canned-insert.js';
import { CannedSuggestions } from './canned-suggestions.js';
import { emptyList, ListBuilder, listReplyOf } from './list-builder.js';
import { type Attachment, MediaDraftForm } from './media-draft-form.js';
import { checkReply } from './reply-check.js';
import { emptyTemplate, TemplateForm, templateReplyOf } from './template-form.js';
import { TemplatePicker } from './template-picker.js';
import { VoiceRecorder } from './voice-recorder.js';

export interface ComposerProps {
  windowOpen: boolean;
  onSend: (reply: OperatorReply) => Promise<SendResult>;
  /** Files: without an uploader the composer offers none. */
  onUpload?: MediaUploader;
  /** The file chosen, dropped or pasted (the chat pane holds it: drops land on the whole pane). */
  attachment?: Attachment | null;
  onAttach?: (file: File | null, options?: { voiceNote?: boolean }) => void;
  /**
   * Closes the draft `id` once sent or removed, and only that one: a file dropped or pasted while another was
   * being sent is a newer draft, which the older one's completion must not close.
   */
  onDetach?: (id: number) => void;
  onBusyChange?: (busy: boolean) => void;
  /**
   * Asks for the approved templates of the conversation's number (each time the Template tab opens); with it,
   * the Template tab is the picker, fed by `templates` (undefined while loading).
   */
  onLoadTemplates?: () => void;
  templates?: OperatorTemplate[] | undefined;
  /** The team's canned replies: typing `/shortcut` offers them, Enter or Tab inserts the text. */
  cannedReplies?: readonly CannedReply[];
  /** Called while the operator types a text (throttled here): the user sees "typing…". */
  onTyping?: () => void;
}

const modes: { kind: OperatorReplyKind; label: string }[] = [
  { kind: 'text', label: 'Text' },
  { kind: 'list', label: 'List' },
  { kind: 'buttons', label: 'Buttons' },
  { kind: 'template', label: 'Template' },
];

/**
 * Text, list, buttons, template or a file; outside the 24 h window only templates. Meta's limits are checked
 * here. A file attached while the window is open takes the composer's place until it is sent or removed.
 */
export function Composer({
  windowOpen,
  onSend,
  onUpload,
  attachment,
  onAttach,
  onDetach,
  onBusyChange,
  onLoadTemplates,
  templates,
  cannedReplies = [],
  onTyping,
}: ComposerProps) {
  const [chosen, setChosen] = useState<OperatorReplyKind>('text');
  const mode = windowOpen ? chosen : 'template';
  const [text, setText] = useState('');
  const [list, setList] = useState(emptyList);
  const [buttons, setButtons] = useState(emptyButtons);
  const [template, setTemplate] = useState(emptyTemplate);
  const [problems, setProblems] = useState<string[]>([]);
  const [isSending, setSending] = useState(false);
  const [byHand, setByHand] = useState(false);
  const signalTyping = useTypingSignal(onTyping);
  const [highlighted, setHighlighted] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const query = cannedQuery(text);
  const matches = query !== null && query !== dismissed ? cannedMatches(cannedReplies, query) : [];
  const picking = mode === 'template' && Boolean(onLoadTemplates) && !byHand;
  // Fresh each time the picker opens (the window closed, or the operator chose the tab); pushes keep it fresh.
  useEffect(() => {
    if (picking) onLoadTemplates?.();
  }, [picking, onLoadTemplates]);

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
    if (picking) return; // the picker sends with its own button
    const checked = checkReply(draft());
    if ('problems' in checked) {
      setProblems(checked.problems.map((problem) => problem.message));
      return;
    }
    setSending(true);
    const result = await onSend(checked.reply);
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

  const pick = (reply: CannedReply) => {
    setText((current) => insertCanned(current, reply));
    setHighlighted(0);
    signalTyping();
  };

  const onTextKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const choice = matches[Math.min(highlighted, matches.length - 1)];
    if (choice && (event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      event.preventDefault();
      pick(choice);
      return;
    }
    if (matches.length > 0 && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : matches.length - 1;
      setHighlighted((current) => (current + step) % matches.length);
      return;
    }
    if (matches.length > 0 && event.key === 'Escape') {
      setDismissed(query);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  };

  if (attachment && onUpload && windowOpen)
    return (
      <MediaDraftForm
        key={attachment.id}
        attachment={attachment}
        onUpload={onUpload}
        onSend={onSend}
        onClose={() => (onDetach ? onDetach(attachment.id) : onAttach?.(null))}
        onReplace={(file) => onAttach?.(file)}
        {...(onBusyChange ? { onBusyChange } : {})}
      />
    );

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
              if (kind === 'template') setByHand(false);
            }}
          >
            {label}
          </button>
        ))}
      </div>
      {!windowOpen && (
        <p className="notice">
          The user has not written in the last 24 hours: WhatsApp only accepts an approved template.
          {attachment ? ' The file you added cannot be sent.' : ''}
        </p>
      )}
      {mode === 'text' && (
        <textarea
          className="composer-text"
          aria-label="Message"
          placeholder="Write a reply…"
          value={text}
          rows={2}
          onChange={(event) => {
            setText(event.target.value);
            setHighlighted(0);
            if (event.target.value.trim()) signalTyping();
          }}
          onKeyDown={onTextKey}
        />
      )}
      {mode === 'text' && <CannedSuggestions matches={matches} highlighted={highlighted} onPick={pick} />}
      {mode === 'list' && <ListBuilder draft={list} onChange={setList} />}
      {mode === 'buttons' && <ButtonsBuilder draft={buttons} onChange={setButtons} />}
      {picking && (
        <TemplatePicker
          templates={templates}
          onSend={onSend}
          {...(onUpload ? { onUpload } : {})}
          onTypeByHand={() => setByHand(true)}
        />
      )}
      {mode === 'template' && !picking && <TemplateForm draft={template} onChange={setTemplate} />}
      {problems.length > 0 && (
        <ul className="problems" role="alert">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <div className="composer-actions">
        {onUpload && onAttach && (
          <span className="composer-tools">
            <AttachButton disabled={!windowOpen} onFile={onAttach} />
            <VoiceRecorder
              disabled={!windowOpen}
              onRecorded={(file) => onAttach(file, { voiceNote: true })}
            />
          </span>
        )}
        {!picking && (
          <button type="submit" className="primary" disabled={isSending}>
            {isSending ? 'Sending…' : 'Send'}
          </button>
        )}
      </div>
    </form>
  );
}
