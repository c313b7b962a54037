import type { System } from './system.js';
import { phoneNumberId, secrets, simulatorWabaId } from './system-env.js';

/**
 * Registers the simulator's business number through the admin API, as an operator would: the admin then syncs
 * its WABA's templates at once. Answers with the admin's status (201: saved) and body.
 */
export async function registerNumber(
  system: Pick<System, 'admin' | 'adminKey'>,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${system.admin.url}/api/v2/numbers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${system.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      waba_id: simulatorWabaId,
      throughput_tier: 'standard',
      phone_number_id: phoneNumberId,
      display_phone_number: '+1 555 0101',
      name: 'Main line',
      token: secrets.graphToken,
    }),
  });
  return { status: response.status, body: await response.text() };
}
