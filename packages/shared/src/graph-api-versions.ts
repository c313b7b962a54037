import { z } from 'zod';

/** One Graph API version (the Cloud API follows Graph's) and the days Meta gives for it, UTC. */
export interface GraphApiVersion {
  version: string;
  released: string;
  /** The first day Meta no longer serves it; `undefined` while Meta has not announced one. */
  expires: string | undefined;
}

/**
 * Meta's Graph API versions, newest first, from its changelog (meta-2026-changes.md §1.10). The one place
 * these dates live: add a row when Meta releases a version, fill `expires` when Meta announces it.
 */
export const graphApiVersions: readonly GraphApiVersion[] = [
  { version: 'v27.0', released: '2026-11-04', expires: undefined },
  { version: 'v26.0', released: '2026-07-29', expires: undefined },
  { version: 'v25.0', released: '2026-02-18', expires: '2028-07-29' },
  { version: 'v24.0', released: '2025-10-08', expires: '2028-02-18' },
  { version: 'v23.0', released: '2025-05-29', expires: '2027-10-08' },
  { version: 'v22.0', released: '2025-01-21', expires: '2027-05-20' },
  { version: 'v21.0', released: '2024-10-02', expires: '2027-01-21' },
  { version: 'v20.0', released: '2024-05-21', expires: '2026-09-24' },
  { version: 'v19.0', released: '2024-01-23', expires: '2026-05-21' },
];

/** The version the router calls and the simulator serves unversioned paths as, unless a deployment sets another. */
export const defaultGraphApiVersion = 'v25.0';

/** CI fails this many days before the default version expires, leaving time to test and roll out the next one. */
export const graphApiVersionExpiryMarginDays = 90;

/** How a version is written in a Graph path: `v25.0`. */
export const graphApiVersionFormat = /^v\d+\.\d+$/;

const dayMs = 86_400_000;
const utcDay = (day: string) => new Date(`${day}T00:00:00Z`);
const find = (version: string) => graphApiVersions.find((entry) => entry.version === version);

/** Whether Meta serves `version` on `now`: released, and not yet at its expiry day. */
export function isGraphApiVersionLive(version: string, now: Date): boolean {
  const entry = find(version);
  if (!entry || now < utcDay(entry.released)) return false;
  return entry.expires === undefined || now < utcDay(entry.expires);
}

/** Whole days from `now` until `version` stops working; `undefined` when unknown or Meta has not set a date. */
export function daysUntilGraphApiVersionExpires(version: string, now: Date): number | undefined {
  const expires = find(version)?.expires;
  return expires === undefined ? undefined : Math.floor((utcDay(expires).getTime() - now.getTime()) / dayMs);
}

/** Whether `version` stops working within `days` of `now` (or already has); never for a version with no date yet. */
export function isGraphApiVersionExpiringWithin(version: string, days: number, now: Date): boolean {
  const left = daysUntilGraphApiVersionExpires(version, now);
  return left !== undefined && left <= days;
}

/**
 * The version Graph answers a call to `version` with: itself while live; for an expired one the oldest live
 * version, as Meta defaults calls to an unusable version to the next oldest usable one (its versioning guide);
 * `undefined` for a version Meta never released, which Graph answers as an unknown path.
 */
export function servedGraphApiVersion(version: string, now: Date): string | undefined {
  if (isGraphApiVersionLive(version, now)) return version;
  const entry = find(version);
  if (!entry || now < utcDay(entry.released)) return undefined;
  return graphApiVersions.findLast((candidate) => isGraphApiVersionLive(candidate.version, now))?.version;
}

/**
 * A deployment's Graph API version (`GRAPH_API_VERSION`): written like `v25.0`, a version in the table and not
 * expired on the day the service starts; the shared default when unset.
 */
export function graphApiVersionSchema(now: () => Date = () => new Date()) {
  return z
    .string()
    .regex(graphApiVersionFormat, { message: 'must look like v25.0', abort: true })
    .refine((version) => find(version) !== undefined, {
      message: `is not a Graph API version Meta released (known: ${graphApiVersions.map((entry) => entry.version).join(', ')})`,
      abort: true,
    })
    .refine((version) => isGraphApiVersionLive(version, now()), {
      message: 'has expired: Meta no longer serves it',
    })
    .default(defaultGraphApiVersion);
}
