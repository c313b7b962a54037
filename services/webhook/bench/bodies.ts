import { createHmac } from 'node:crypto';

/** Realistic Meta deliveries for the load generator: exact bytes plus their X-Hub-Signature-256. */
export interface SignedBody {
  body: string;
  signature: string;
  /** Records it must produce on the `webhook` topic. */
  events: number;
}

export const benchSecret = 'bench_app_secret_do_not_use';
const metadata = { display_phone_number: '15550009999', phone_number_id: '106540352242922' };

function sign(body: string): string {
  return `sha256=${createHmac('sha256', benchSecret).update(body).digest('hex')}`;
}

function user(n: number): string {
  return `1555${String(n).padStart(7, '0')}`;
}

function wamid(n: number, kind: 'in' | 'out'): string {
  return `wamid.HBgLMTU1NTAwMDExMTEVAg${kind === 'in' ? 'AS' : 'AR'}GBQ${String(n).padStart(24, '0')}A=`;
}

function inboundText(n: number) {
  return {
    from: user(n),
    id: wamid(n, 'in'),
    timestamp: String(1761300000 + n),
    type: 'text',
    // Meta escapes non-ASCII, so the bytes contain \u00e1-style escapes: kept as in real deliveries.
    text: {
      body: `Ol\u00e1! Order #${48000 + n}: where is it? It was due yesterday and I still have no tracking.`,
    },
  };
}

function messagesChange(n: number) {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata,
      contacts: [{ profile: { name: `Customer ${n}` }, wa_id: user(n) }],
      messages: [inboundText(n)],
    },
  };
}

function statusChange(n: number) {
  const status = {
    id: wamid(n, 'out'),
    status: 'delivered',
    timestamp: String(1761300100 + n),
    recipient_id: user(n),
  };
  return { field: 'messages', value: { messaging_product: 'whatsapp', metadata, statuses: [status] } };
}

function delivery(entries: object[][]): string {
  // JSON.stringify writes non-ASCII characters as they are; Meta sends \uXXXX escapes, so do the same.
  const json = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: entries.map((changes) => ({ id: '102290129340398', changes })),
  });
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One inbound text per POST (about 1 KB, like `inbound-text.json`), each from another user. */
export function singleBodies(count: number): SignedBody[] {
  return Array.from({ length: count }, (_, i) => {
    const body = delivery([[messagesChange(i)]]);
    return { body, signature: sign(body), events: 1 };
  });
}

/** Meta's batching: 10 inbound messages and 10 statuses over two entries in one POST. */
export function batchBodies(count: number): SignedBody[] {
  return Array.from({ length: count }, (_, i) => {
    const base = i * 10;
    const messages = Array.from({ length: 10 }, (_, j) => messagesChange(base + j));
    const statuses = Array.from({ length: 10 }, (_, j) => statusChange(base + j));
    const body = delivery([messages, statuses]);
    return { body, signature: sign(body), events: 20 };
  });
}
