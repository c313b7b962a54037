import { describe, expect, it } from 'vitest';
import {
  daysUntilGraphApiVersionExpires,
  defaultGraphApiVersion,
  graphApiVersionExpiryMarginDays,
  graphApiVersionSchema,
  graphApiVersions,
  isGraphApiVersionExpiringWithin,
  isGraphApiVersionLive,
  servedGraphApiVersion,
} from './graph-api-versions.js';

// Meta's Graph API versions and expiry dates: ../shared/docs/meta-2026-changes.md §1.10 ("Graph API versions").
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('the default Graph API version (CI check, against the real date)', () => {
  it(`is more than ${graphApiVersionExpiryMarginDays} days from its expiry today`, () => {
    const expires = graphApiVersions.find((entry) => entry.version === defaultGraphApiVersion)?.expires;
    const left = daysUntilGraphApiVersionExpires(defaultGraphApiVersion, new Date());
    expect(
      isGraphApiVersionExpiringWithin(defaultGraphApiVersion, graphApiVersionExpiryMarginDays, new Date()),
      `${defaultGraphApiVersion} stops working on ${expires} (${left} days left): move defaultGraphApiVersion in ` +
        "packages/shared/src/graph-api-versions.ts to a newer version (and the table from Meta's changelog)",
    ).toBe(false);
  });

  it('is live today and no older than v25.0 (meta-2026-changes.md §1.10: pin ≥ v25.0)', () => {
    expect(isGraphApiVersionLive(defaultGraphApiVersion, new Date())).toBe(true);
    expect(Number(defaultGraphApiVersion.slice(1))).toBeGreaterThanOrEqual(25);
  });
});

describe('the version table (meta-2026-changes.md §1.10)', () => {
  it("keeps Meta's dates: v21.0 dies 2027-01-21, v25.0 2028-07-29, v26.0 and v27.0 not announced", () => {
    const expiryOf = (version: string) =>
      graphApiVersions.find((entry) => entry.version === version)?.expires;
    expect(expiryOf('v21.0')).toBe('2027-01-21');
    expect(expiryOf('v25.0')).toBe('2028-07-29');
    expect([expiryOf('v26.0'), expiryOf('v27.0')]).toEqual([undefined, undefined]);
  });

  it('lists versions newest first, each expiring after its release', () => {
    const released = graphApiVersions.map((entry) => day(entry.released).getTime());
    expect(released).toEqual([...released].sort((a, b) => b - a));
    for (const entry of graphApiVersions) {
      expect(entry.version).toMatch(/^v\d+\.\d+$/);
      if (entry.expires) expect(day(entry.expires) > day(entry.released), entry.version).toBe(true);
    }
  });
});

describe('isGraphApiVersionExpiringWithin (fixed dates)', () => {
  it('turns true 90 days before the expiry day', () => {
    expect(daysUntilGraphApiVersionExpires('v25.0', day('2028-04-29'))).toBe(91);
    expect(isGraphApiVersionExpiringWithin('v25.0', 90, day('2028-04-29'))).toBe(false);
    expect(isGraphApiVersionExpiringWithin('v25.0', 90, day('2028-04-30'))).toBe(true);
    expect(isGraphApiVersionExpiringWithin('v25.0', 90, day('2028-08-01'))).toBe(true);
  });

  it('flags the old default v21.0 on 2026-12-01, 51 days before it dies', () => {
    expect(daysUntilGraphApiVersionExpires('v21.0', day('2026-12-01'))).toBe(51);
    expect(isGraphApiVersionExpiringWithin('v21.0', 90, day('2026-12-01'))).toBe(true);
    expect(isGraphApiVersionExpiringWithin('v25.0', 90, day('2026-12-01'))).toBe(false);
  });

  it('never flags a version whose expiry Meta has not announced, nor an unknown one', () => {
    expect(isGraphApiVersionExpiringWithin('v27.0', 90, day('2030-01-01'))).toBe(false);
    expect(daysUntilGraphApiVersionExpires('v99.0', day('2026-12-01'))).toBeUndefined();
  });
});

describe('isGraphApiVersionLive and servedGraphApiVersion (fixed dates)', () => {
  it('serves a version from its release until the day before its expiry day', () => {
    expect(isGraphApiVersionLive('v21.0', new Date('2027-01-20T23:59:59Z'))).toBe(true);
    expect(isGraphApiVersionLive('v21.0', day('2027-01-21'))).toBe(false);
    expect(isGraphApiVersionLive('v27.0', day('2026-11-03'))).toBe(false);
    expect(isGraphApiVersionLive('v27.0', day('2026-11-04'))).toBe(true);
    expect(isGraphApiVersionLive('v99.0', day('2026-12-01'))).toBe(false);
  });

  // Meta's versioning guide: a call to a version no longer usable is defaulted to the next oldest usable one.
  it('answers an expired version as the oldest live one, and nothing for a version Meta never released', () => {
    expect(servedGraphApiVersion('v25.0', day('2026-12-01'))).toBe('v25.0');
    expect(servedGraphApiVersion('v19.0', day('2026-12-01'))).toBe('v21.0');
    expect(servedGraphApiVersion('v21.0', day('2027-02-01'))).toBe('v22.0');
    expect(servedGraphApiVersion('v99.0', day('2026-12-01'))).toBeUndefined();
    expect(servedGraphApiVersion('v27.0', day('2026-10-01'))).toBeUndefined();
  });
});

describe('graphApiVersionSchema (GRAPH_API_VERSION)', () => {
  const schema = graphApiVersionSchema(() => day('2026-12-01'));
  const problems = (value: string) => schema.safeParse(value).error?.issues.map((issue) => issue.message);

  it('defaults to the shared default and accepts any live version', () => {
    expect(schema.parse(undefined)).toBe(defaultGraphApiVersion);
    expect(schema.parse('v21.0')).toBe('v21.0');
    expect(schema.parse('v27.0')).toBe('v27.0');
  });

  it('refuses a malformed, an unknown and an expired version, one reason each', () => {
    expect(problems('25.0')).toEqual(['must look like v25.0']);
    expect(problems('v25')).toEqual(['must look like v25.0']);
    expect(problems('v99.0')).toEqual([expect.stringMatching(/^is not a Graph API version Meta released/)]);
    expect(problems('v20.0')).toEqual(['has expired: Meta no longer serves it']);
    expect(graphApiVersionSchema(() => day('2027-01-21')).safeParse('v21.0').success).toBe(false);
  });
});
