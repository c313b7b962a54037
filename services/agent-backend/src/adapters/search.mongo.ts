import type { SearchResult } from '@wa-broker/shared/operator-protocol';
import type { Collection } from 'mongodb';
import type { SearchPort } from '../domain/ports.js';
import { literalPattern, phoneDigits, snippetAround } from '../domain/search-text.js';
import { type ConversationDoc, toConversation } from './conversation-store.mongo.js';
import { decodeCursor, encodeCursor, olderThan } from './cursor.js';
import type { MessageDoc } from './message-store.mongo.js';

/**
 * Search over the whole history with case-insensitive literal regexes: mongo-java-server has no `$text`, and a
 * regex that is not anchored cannot use an index anyway, so this scans (fine for one agent's inbox; a large one
 * would want a text index or a search engine). Conversations match by name, username or phone, or by the `text`
 * of any of their messages; pages are conversations, newest activity first, with the `activity` cursor.
 */
export function searchMongo(
  conversations: Collection<ConversationDoc>,
  messages: Collection<MessageDoc>,
): SearchPort {
  const userMessages = { direction: { $in: ['in', 'out'] as MessageDoc['direction'][] } };
  return {
    async search(query, page) {
      const pattern = literalPattern(query);
      const digits = phoneDigits(query);
      const phone = digits ? new RegExp(digits) : pattern;
      const byMessage = (await messages.distinct('wa_id', { text: pattern, ...userMessages })) as string[];
      const docs = await conversations
        .find({
          $and: [
            { $or: [{ name: pattern }, { username: pattern }, { phone }, { _id: { $in: byMessage } }] },
            olderThan('last_activity_at', decodeCursor(page.cursor)),
          ],
        })
        .sort({ last_activity_at: -1, _id: -1 })
        .limit(page.limit + 1)
        .toArray();
      const pageDocs = docs.slice(0, page.limit);
      const results: SearchResult[] = [];
      for (const doc of pageDocs) {
        const conversation = toConversation(doc);
        if (doc.name && pattern.test(doc.name))
          results.push({ conversation, matched: 'name', snippet: snippetAround(doc.name, pattern) });
        else if (doc.username && pattern.test(doc.username))
          results.push({ conversation, matched: 'username', snippet: doc.username });
        else if (doc.phone && phone.test(doc.phone))
          results.push({ conversation, matched: 'phone', snippet: doc.phone });
        else {
          const message = await messages
            .find({ wa_id: doc._id, text: pattern, ...userMessages })
            .sort({ timestamp: -1, _id: -1 })
            .limit(1)
            .next();
          if (!message) continue; // written since the distinct: it matches by a field that changed
          results.push({
            conversation,
            matched: 'message',
            snippet: snippetAround(message.text, pattern),
            message_id: message._id,
            message_at: message.timestamp.toISOString(),
          });
        }
      }
      const last = pageDocs.at(-1);
      const nextCursor =
        docs.length > page.limit && last ? encodeCursor(last.last_activity_at, last._id) : null;
      return { results, nextCursor };
    },
  };
}
