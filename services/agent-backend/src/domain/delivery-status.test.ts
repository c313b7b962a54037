import { describe, expect, it } from 'vitest';
import { statusesBefore } from './delivery-status.js';

describe('statusesBefore', () => {
  it('lists what a reply may move on from, by the shared rule', () => {
    expect(statusesBefore('sent')).toEqual(['pending']);
    expect(statusesBefore('delivered')).toEqual(['pending', 'sent']);
    expect(statusesBefore('read')).toEqual(['pending', 'sent', 'delivered']);
    expect(statusesBefore('pending')).toEqual([]);
  });

  it('never fails a message already delivered or read (whatsapp-cloud-api.md §4)', () => {
    expect(statusesBefore('failed')).toEqual(['pending', 'sent']);
  });
});
