import { afterAll, beforeAll } from 'vitest';
import { auth, startTestAdmin, type TestAdmin, uniqueId } from './admin.js';
import { deleteTopics } from './kafka.js';

/**
 * A test file's admin for the v2 numbers API, with one agent (`agentId()`), and what its tests send and check.
 * Agent topics are global to the cluster: a per-file prefix keeps parallel runs apart.
 */
export function numbersApi() {
  let admin: TestAdmin | undefined;
  let agentId = 0;
  const prefix = `num${uniqueId()}`;
  const started = () => {
    if (!admin) throw new Error('the admin starts in beforeAll');
    return admin;
  };
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    started().app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
  beforeAll(async () => {
    admin = await startTestAdmin();
    const agent = await call('POST', '/api/v2/agents', { name: `${prefix} Sales` });
    agentId = agent.json().id;
  });
  afterAll(async () => {
    await admin?.close();
    await deleteTopics((topic) => topic.startsWith(prefix));
  });
  const plainToken = `EAAG${uniqueId()}plainGraphToken`;
  return {
    admin: started,
    agentId: () => agentId,
    prefix,
    call,
    plainToken,
    rotatedToken: `EAAG${uniqueId()}rotatedGraphToken`,
    newNumber: (phoneNumberId: string, extra: object = {}) => ({
      phone_number_id: phoneNumberId,
      waba_id: '102290129340398',
      display_phone_number: '+1 555-010-0000',
      name: 'Sales line',
      token: plainToken,
      ...extra,
    }),
    /** Every row of the table as text: what "nothing changed" and "no plain token at rest" are checked on. */
    tableText: async () =>
      JSON.stringify((await started().sql('SELECT * FROM business_numbers ORDER BY phone_number_id')).rows),
  };
}
