import { describe, expect, it } from 'vitest';
import { appTitle } from './app-title.js';

describe('appTitle', () => {
  it('names the agent, falling back when the name is blank', () => {
    expect(appTitle('Agent A')).toBe('wa-broker · Agent A');
    expect(appTitle('  ')).toBe('wa-broker · agent');
  });
});
