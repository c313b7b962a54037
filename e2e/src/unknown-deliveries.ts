import { Phone } from './phone.js';
import type { Scenario } from './scenario.js';
import type { SentMessage } from './tally.js';

/**
 * A router killed between marking a send `sending` and the simulator reading the request leaves a send nobody can
 * vouch for: it never reached the user, no status can name it, and its agent is told "delivery unknown"
 * (services/router README, "Exactly once", outbound step 2). This splits the agent's errors since `errorsBefore`
 * into those reports and anything else, and lists the echo replies (key `echo-<wamid>`) the users never got, so a
 * test can assert that exactly those replies were reported unknown and nothing else went wrong.
 */
export async function unknownDeliveries(
  scenario: Scenario,
  sent: readonly SentMessage[],
  errorsBefore: number,
) {
  const errors = scenario.agent.errors.slice(errorsBefore);
  const isUnknown = (e: (typeof errors)[number]) =>
    e.code === 'send_failed' && e.text.startsWith('delivery unknown');
  const unknownKeys = errors
    .filter(isUnknown)
    .map((e) => e.idempotency_key ?? '')
    .sort();
  const otherErrors = errors
    .filter((e) => !isUnknown(e))
    .map((e) => ({ code: e.code, key: e.idempotency_key, text: e.text }));
  const received = new Set<string>();
  for (const waId of new Set(sent.map((m) => m.waId)))
    for (const entry of await scenario.phone.received(waId)) received.add(Phone.text(entry));
  const lostReplyKeys = sent
    .filter((m) => !received.has(`echo load ${m.waId} ${m.index}`))
    .map((m) => `echo-${m.wamid}`)
    .sort();
  return { unknownKeys, otherErrors, lostReplyKeys };
}
