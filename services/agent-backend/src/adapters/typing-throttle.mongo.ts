import type { Collection } from 'mongodb';
import type { TypingThrottle } from '../domain/ports.js';
import type { ConversationDoc } from './conversation-store.mongo.js';

/** `typing_at` on the conversation: the last indicator sent; a conditional update takes the next slot. */
export function typingThrottleMongo(collection: Collection<ConversationDoc>): TypingThrottle {
  return {
    async claim(waId, at, everyMs) {
      const result = await collection.updateOne(
        {
          _id: waId,
          $or: [{ typing_at: { $exists: false } }, { typing_at: { $lte: new Date(at.getTime() - everyMs) } }],
        },
        { $set: { typing_at: at } },
      );
      return result.modifiedCount === 1;
    },
    async release(waId, at) {
      await collection.updateOne({ _id: waId, typing_at: at }, { $unset: { typing_at: '' } });
    },
  };
}
