import { describe, expect, it } from 'vitest';
import { compileSecondsOf } from './broker-jit.js';

describe('compileSecondsOf', () => {
  it('reads the Time column of jstat -compiler', () => {
    const output = [
      'Compiled Failed Invalid   Time   FailedType FailedMethod',
      '   12805      0       0    31.55          0             ',
    ].join('\n');
    expect(compileSecondsOf(output)).toBe(31.55);
  });

  it('is undefined for anything else (no JVM, no column)', () => {
    expect(compileSecondsOf('')).toBeUndefined();
    expect(compileSecondsOf('1234: Could not attach')).toBeUndefined();
    expect(compileSecondsOf('Compiled Failed\n 12 0')).toBeUndefined();
  });
});
