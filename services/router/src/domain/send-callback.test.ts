import { describe, expect, it } from 'vitest';
import { callbackDataMaxLength, decodeSendReference, encodeSendReference } from './send-callback.js';

// docs/whatsapp-cloud-api.md §4: biz_opaque_callback_data is echoed back in statuses (max 512 characters).
describe('send reference in biz_opaque_callback_data', () => {
  it('round-trips agent id and idempotency key, including separators in the key', () => {
    const reference = { agentId: '7', idempotencyKey: 'wamid.ABC:0:"quoted"|x' };
    const encoded = encodeSendReference(reference);
    expect(encoded).toBeDefined();
    expect(decodeSendReference(encoded)).toEqual(reference);
  });

  it('never exceeds Meta limit: a reference that would not fit is not encoded', () => {
    expect(encodeSendReference({ agentId: 'a', idempotencyKey: 'k'.repeat(200) })?.length).toBeLessThan(
      callbackDataMaxLength,
    );
    expect(encodeSendReference({ agentId: 'a', idempotencyKey: 'k'.repeat(600) })).toBeUndefined();
  });

  it('ignores callback data someone else wrote, and malformed data', () => {
    for (const data of [undefined, '', 'agent_A/operator', '{"wab1":[1,2]}', '{"wab1":["a"]}', '{"wab1":'])
      expect(decodeSendReference(data)).toBeUndefined();
  });
});
