import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { OutboundValidationError } from '@wa-broker/shared/outbound-rules';
import { describe, expect, it } from 'vitest';
import { validateOutbound } from '../../../packages/agent-sdk/src/validate.js';
import { outboundCases } from '../../../packages/shared/test/outbound-cases.js';
import { toGraphMessage } from '../../../services/router/src/domain/outbound-validation.js';

/** What a validator says of a message: `valid`, or its reason; anything but the shared error is a bug. */
function verdict(check: () => unknown): string {
  try {
    check();
    return 'valid';
  } catch (error) {
    if (error instanceof OutboundValidationError) return error.message;
    throw error;
  }
}

describe("Meta's outbound rules, one copy (issue 16)", () => {
  it.each(outboundCases)('the router and the SDK agree: $name → $expected', ({ message, expected }) => {
    expect(verdict(() => toGraphMessage(message))).toBe(expected);
    expect(verdict(() => validateOutbound(message))).toBe(expected);
  });
});

// Each rule of Meta's lives in packages/shared; a second definition anywhere else is a copy that will drift.
const ruleDefinitions = [
  /function isWindowOpen\b/,
  /function windowExpiresAt\b/,
  /function isStatusForward\b/,
  /function (validateOutbound|assertOutboundRules|toGraphMessage)\b/,
  /const (rank|progress)\s*:\s*Record<[^>]*Status/,
  /\bnotify:cancelled:/,
  /function userRef\b/, // a user's pseudonym in logs: one function, or lines stop correlating
];
// Where a rule may be defined or a wire name spelled: its owner, and thin adapters that call the owner.
const allowed = new Set([
  'packages/shared/src/outbound-rules.ts',
  'packages/shared/src/reply-window.ts',
  'packages/shared/src/delivery-status.ts',
  'packages/shared/src/redis-keys.ts',
  'packages/shared/src/log-privacy.ts',
  'packages/agent-sdk/src/validate.ts', // validateOutbound: the contract's schema, then assertOutboundRules
  'packages/agent-sdk/src/window.ts', // isWindowOpen: reads an SDK message, then the shared rule
  'services/router/src/domain/outbound-validation.ts', // toGraphMessage: assertOutboundRules, then the body
]);
const root = join(import.meta.dirname, '../../..');
const skip = new Set(['node_modules', '.git', '.stack', 'dist', 'test-results', 'coverage']);

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) yield path;
  }
}

describe('no second copy of a shared rule', () => {
  it('defines each rule only in its owner (and its thin adapters)', () => {
    const copies: string[] = [];
    for (const dir of ['packages', 'services', 'apps', 'e2e/src']) {
      for (const path of sources(join(root, dir))) {
        const file = relative(root, path);
        if (allowed.has(file)) continue;
        const text = readFileSync(path, 'utf8');
        for (const rule of ruleDefinitions) if (rule.test(text)) copies.push(`${file}: ${rule}`);
      }
    }
    expect(copies).toEqual([]);
  });
});
