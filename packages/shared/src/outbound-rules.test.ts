import { describe, expect, it } from 'vitest';
import { outboundCases } from '../test/outbound-cases.js';
import { assertOutboundRules, OutboundValidationError } from './outbound-rules.js';

describe('assertOutboundRules', () => {
  it.each(outboundCases)('$name → $expected', ({ message, expected }) => {
    let reason = 'valid';
    try {
      assertOutboundRules(message);
    } catch (error) {
      if (!(error instanceof OutboundValidationError)) throw error;
      expect(error.code).toBe('invalid_message');
      reason = error.message;
    }
    expect(reason).toBe(expected);
  });

  it('names the field at fault', () => {
    const error = (() => {
      try {
        assertOutboundRules({ waID: '1', message_type: 'buttons', text: 'x', buttons: [] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(OutboundValidationError);
    expect((error as OutboundValidationError).field).toBe('buttons');
  });
});
