import { simulatorForFile } from './simulator.js';

export { auth, number as numberA, startSimulator, token as tokenA, waba } from './simulator.js';

// Issue 17 §2: a business runs several numbers, possibly in several WABAs of one portfolio, and Meta posts every
// number's webhooks to the one webhook. Each number has its own token, throughput (meta-2026-changes.md §1.9) and
// 24 h windows. What the test files of several numbers share.

export const numberB = '106540352242923';
export const wabaB = '102290129340399';
export const tokenB = 'sim_test_token_b';
export const authB = { authorization: `Bearer ${tokenB}` };
/** A third number in the first WABA, with the simulator's tokens and Meta's default throughput. */
export const numberC = '106540352242924';
export const user = '15550001111';
export const tmpl = { name: 'hello_world', language: { code: 'en_US' } };
export const extraNumbers = [
  {
    phone_number_id: numberB,
    display_phone_number: '15550008888',
    waba_id: wabaB,
    token: tokenB,
    throughput_per_second: 3,
  },
  { phone_number_id: numberC, display_phone_number: '15550007777' },
];

export type Value = {
  metadata?: { phone_number_id: string; display_phone_number: string };
  messages?: { id: string; type: string; text?: { body: string } }[];
  statuses?: { id: string; status: string; errors?: { code: number }[] }[];
};

/** The test file's simulator, serving the numbers above besides the default one, and what its tests ask it. */
export function severalNumbersSimulator() {
  const simulator = simulatorForFile({
    // Small buckets so that a test can exhaust one number without the other.
    SIM_THROUGHPUT_PER_SECOND: '5',
    SIM_EXTRA_NUMBERS: JSON.stringify(extraNumbers),
  });
  /** Every change the webhook received, with the `entry[].id` it came in. */
  const changes = (): { entryId: string; value: Value }[] =>
    simulator.received.flatMap((post) =>
      (post.body.entry as { id: string; changes: { value: Value }[] }[]).flatMap((entry) =>
        entry.changes.map((change) => ({ entryId: entry.id, value: change.value })),
      ),
    );
  const statusesOf = (wamid: string) =>
    changes().flatMap(({ entryId, value }) =>
      (value.statuses ?? [])
        .filter((status) => status.id === wamid)
        .map((status) => ({ entryId, value, status })),
    );
  /** The user writes to a number (none: the simulator's default, the first). */
  const userWrites = (text: string, phoneNumberId?: string, to = user) =>
    simulator.app.inject({
      method: 'POST',
      url: `/sim/users/${to}/messages`,
      payload: { type: 'text', text, ...(phoneNumberId ? { phone_number_id: phoneNumberId } : {}) },
    });
  /** `POST /v21.0/{phone-number-id}/messages`: a text from a number with a token. */
  const sendFrom = (
    phoneNumberId: string,
    headers: Record<string, string>,
    payload: Record<string, unknown> = { to: user, type: 'text', text: { body: 'hello' } },
  ) =>
    simulator.app.inject({
      method: 'POST',
      url: `/v21.0/${phoneNumberId}/messages`,
      headers,
      payload: { messaging_product: 'whatsapp', ...payload },
    });
  return { simulator, changes, statusesOf, userWrites, sendFrom };
}

export const codeOf = (response: { statusCode: number; json: () => { error?: { code: number } } }) =>
  response.statusCode === 200 ? 200 : response.json().error?.code;
