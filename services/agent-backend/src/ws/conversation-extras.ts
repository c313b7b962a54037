import { randomUUID } from 'node:crypto';
import { DomainError } from '@wa-broker/shared/errors';
import type { OperatorNote, ServerFrame } from '@wa-broker/shared/operator-protocol';
import type { Actor, CannedReplyStore, ConversationStore, NoteStore, SearchPort } from '../domain/ports.js';
import type { TeamEvent } from '../domain/team-events.js';
import { sendTypingIndicator, type TypingDeps, type TypingResult } from '../domain/typing.js';
import type { TeamClientFrame } from './team-requests.js';

export interface ExtrasDeps {
  conversations: ConversationStore;
  typing: TypingDeps;
  notes: NoteStore;
  canned: CannedReplyStore;
  search: SearchPort;
  publish: (event: TeamEvent) => Promise<void>;
  now: () => Date;
  onTyping: (result: TypingResult) => void;
}

/** typing, notes, canned replies and search (the team frames that are not about assignment or presence). */
export async function answerExtraFrame(
  deps: ExtrasDeps,
  frame: TeamClientFrame,
  actor: Actor,
): Promise<ServerFrame> {
  const base = { v: 1 as const };
  const now = deps.now();
  switch (frame.type) {
    case 'typing': {
      const result = await sendTypingIndicator(deps.typing, frame.wa_id, now);
      deps.onTyping(result);
      if (result === 'sent' || result === 'throttled') {
        const typing: ServerFrame = {
          v: 1,
          type: 'operator_typing',
          wa_id: frame.wa_id,
          operator_id: actor.id,
        };
        await deps.publish({ kind: 'frame', frame: typing, except_operator: actor.id });
      }
      return { ...base, type: 'typing_indicator', wa_id: frame.wa_id, result };
    }
    case 'add_note': {
      if (!(await deps.conversations.get(frame.wa_id)))
        throw new DomainError('not_found', `No conversation with ${frame.wa_id}.`);
      const note: OperatorNote = {
        id: randomUUID(),
        wa_id: frame.wa_id,
        author_id: actor.id,
        author_name: actor.name,
        text: frame.text,
        created_at: now.toISOString(),
      };
      await deps.notes.add(note);
      await deps.publish({ kind: 'frame', frame: { v: 1, type: 'note', note } });
      return { ...base, type: 'note', note };
    }
    case 'list_notes': {
      const page = await deps.notes.list(frame.wa_id, { limit: frame.limit ?? 50, before: frame.before });
      return { ...base, type: 'notes', wa_id: frame.wa_id, notes: page.notes, next_before: page.nextBefore };
    }
    case 'list_canned_replies':
      return { ...base, type: 'canned_replies', canned_replies: await deps.canned.list() };
    case 'create_canned_reply': {
      const reply = {
        id: randomUUID(),
        shortcut: frame.shortcut,
        text: frame.text,
        updated_by: actor.id,
        updated_at: now.toISOString(),
      };
      await deps.canned.create(reply);
      await deps.publish({ kind: 'frame', frame: { v: 1, type: 'canned_reply', canned_reply: reply } });
      return { ...base, type: 'canned_reply', canned_reply: reply };
    }
    case 'update_canned_reply': {
      const patch = {
        ...(frame.shortcut ? { shortcut: frame.shortcut } : {}),
        ...(frame.text ? { text: frame.text } : {}),
      };
      const reply = await deps.canned.update(frame.id, patch, actor.id, now);
      if (!reply) throw new DomainError('not_found', `No canned reply ${frame.id}.`);
      await deps.publish({ kind: 'frame', frame: { v: 1, type: 'canned_reply', canned_reply: reply } });
      return { ...base, type: 'canned_reply', canned_reply: reply };
    }
    case 'delete_canned_reply': {
      if (!(await deps.canned.remove(frame.id)))
        throw new DomainError('not_found', `No canned reply ${frame.id}.`);
      await deps.publish({ kind: 'frame', frame: { v: 1, type: 'canned_reply_deleted', id: frame.id } });
      return { ...base, type: 'canned_reply_deleted', id: frame.id };
    }
    case 'search': {
      const { results, nextCursor } = await deps.search.search(frame.query, {
        limit: frame.limit ?? 20,
        ...(frame.cursor ? { cursor: frame.cursor } : {}),
      });
      return { ...base, type: 'search_results', query: frame.query, results, next_cursor: nextCursor };
    }
    default:
      throw new DomainError('invalid_frame', `${frame.type} is answered elsewhere.`);
  }
}
