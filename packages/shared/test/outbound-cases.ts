import type { AgentOutboundMessage } from '../src/agent-outbound.js';

/**
 * One table of valid and invalid `-out` messages with the reason each side must give. The shared rules, the
 * router's `toGraphMessage` and the SDK's `validateOutbound` all run it (e2e/test/properties/one-rule.test.ts),
 * so a second copy of Meta's limits that disagrees fails there.
 */
export interface OutboundCase {
  name: string;
  message: AgentOutboundMessage;
  /** `valid`, or the exact reason given. */
  expected: string;
}

const base = { v: 1 as const, waID: '15551234567', idempotency_key: 'k1' };
const rows = (n: number, title = 'Row') =>
  Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `${title} ${i}` }));
const three = [1, 2, 3].map((i) => ({ id: `b${i}`, title: `B${i}` }));
const list = { ...base, message_type: 'list' as const, list_title: 'Pick', list_body: 'Options' };
const buttons = { ...base, message_type: 'buttons' as const, text: 'Choose' };

export const outboundCases: OutboundCase[] = [
  { name: 'text', message: { ...base, message_type: 'text', text: 'hi' }, expected: 'valid' },
  {
    name: 'text of 4096 emoji (code points, not UTF-16 units)',
    message: { ...base, message_type: 'text', text: '😀'.repeat(4096) },
    expected: 'valid',
  },
  {
    name: 'text over 4096',
    message: { ...base, message_type: 'text', text: 'a'.repeat(4097) },
    expected: 'text is 4097 characters; Meta allows 4096',
  },
  { name: 'blank text', message: { ...base, message_type: 'text', text: '  ' }, expected: 'text is empty' },
  { name: 'missing text', message: { ...base, message_type: 'text' }, expected: 'text is empty' },
  { name: 'list of 10 rows', message: { ...list, list_items: rows(10) }, expected: 'valid' },
  {
    name: "the Go original's list (no v: fixed body)",
    message: {
      waID: '155',
      message_type: 'list',
      list_title: 'Pick',
      list_body: 'Options',
      list_items: rows(2),
    },
    expected: 'valid',
  },
  {
    name: 'list of 11 rows',
    message: { ...list, list_items: rows(11) },
    expected: 'a list needs 1 to 10 rows in all, got 11',
  },
  {
    name: 'list of no rows',
    message: { ...list, list_items: [] },
    expected: 'a list needs 1 to 10 rows in all, got 0',
  },
  {
    name: 'list button label over 20',
    message: { ...list, list_title: 'x'.repeat(21), list_items: rows(1) },
    expected: 'list_title is 21 characters; Meta allows 20',
  },
  {
    name: 'list row title over 24',
    message: { ...list, list_items: [{ id: 'a', title: 'y'.repeat(25) }] },
    expected: 'section 1 row 1 title is 25 characters; Meta allows 24',
  },
  {
    name: 'list row ids twice',
    message: { ...list, list_items: [...rows(1), ...rows(1)] },
    expected: 'list row id "r0" is used twice',
  },
  {
    name: 'list body over 4096',
    message: { ...list, text: 'b'.repeat(4097), list_items: rows(1) },
    expected: 'text is 4097 characters; Meta allows 4096',
  },
  {
    name: 'list of 11 sections',
    message: {
      ...list,
      list_sections: Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: rows(1) })),
    },
    expected: 'a list needs 1 to 10 sections, got 11',
  },
  {
    name: 'list without list_body',
    message: { ...list, list_body: undefined },
    expected: 'list_body is empty',
  },
  { name: 'three buttons', message: { ...buttons, buttons: three }, expected: 'valid' },
  {
    name: 'four buttons',
    message: { ...buttons, buttons: [...three, { id: 'b4', title: 'B4' }] },
    expected: 'reply buttons need 1 to 3 buttons, got 4',
  },
  {
    name: 'button title over 20',
    message: { ...buttons, buttons: [{ id: 'b', title: 't'.repeat(21) }] },
    expected: 'button 1 title is 21 characters; Meta allows 20',
  },
  {
    name: 'button titles twice',
    message: {
      ...buttons,
      buttons: [
        { id: 'a', title: 'Same' },
        { id: 'b', title: 'Same' },
      ],
    },
    expected: 'button title "Same" is used twice',
  },
  {
    name: 'buttons without body',
    message: { ...buttons, text: undefined, buttons: three },
    expected: 'text is empty',
  },
  {
    name: 'buttons footer over 60',
    message: { ...buttons, buttons: three, footer: 'f'.repeat(61) },
    expected: 'footer is 61 characters; Meta allows 60',
  },
  {
    name: 'template',
    message: { ...base, message_type: 'template', template: { name: 'hello_world', language: 'en_US' } },
    expected: 'valid',
  },
  {
    name: 'template missing',
    message: { ...base, message_type: 'template' },
    expected: 'template is required',
  },
  {
    name: 'read receipt',
    message: { ...base, message_type: 'mark_as_read', context_message_id: 'wamid.1' },
    expected: 'valid',
  },
  {
    name: 'read receipt without its message',
    message: { ...base, message_type: 'mark_as_read' },
    expected: 'context_message_id is empty',
  },
  {
    name: 'reaction without its message',
    message: { ...base, message_type: 'reaction', emoji: '👍' },
    expected: 'context_message_id is empty',
  },
];
