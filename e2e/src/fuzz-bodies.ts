import fc from 'fast-check';
import { createSignature } from './signature.js';

/** One generated POST: its bytes, its signature header (or none), and what the webhook must answer. */
export interface FuzzCase {
  kind: string;
  body: Buffer;
  signature?: string;
  /** 401 for a missing or wrong signature, 413 above the body limit, else 200 or 400. */
  expect: 'unauthorized' | 'too-large' | 'accepted-or-rejected';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const unicode = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // lone surrogates, control characters
  fc.constantFrom(
    '',
    '\u0000',
    '\ud83d',
    '🇧🇷👩‍👩‍👧',
    'e\u0301\u0301\u0301',
    '\u202eevil',
    '<script>',
    '{{x}}%s%n',
  ),
);
const scalar: fc.Arbitrary<Json> = fc.oneof(
  unicode,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2),
);
const anyValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 4 }) },
);

/** Every path in a JSON tree down to depth 12 (below a deep nest it is one leaf), so a mutation can land anywhere. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object' || at.length >= 12) return [at];
  const children = Array.isArray(value)
    ? value.flatMap((child, index) => paths(child, [...at, index]))
    : Object.entries(value).flatMap(([key, child]) => paths(child, [...at, key]));
  return [at, ...children];
}

function setAt(root: Json, path: (string | number)[], replace: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return replace(root) ?? null;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path.at(-1) as string | number;
  const next = replace(parent[last] as Json);
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = next;
  return copy;
}

function nest(depth: number, inner: Json): Json {
  let value = inner;
  for (let level = 0; level < depth; level += 1) value = level % 2 ? [value] : { n: value };
  return value;
}

type Mutation = (tree: Json) => fc.Arbitrary<Json>;

/**
 * Structural mutations of a fixture: wrong types, missing fields, huge strings, deep nesting, unicode.
 * Huge strings are rare (weight 1 of 61): accepted bodies land in Kafka, and 100,000 of them must stay small.
 */
const mutations: Mutation[] = [
  (tree) => fc.constantFrom(...paths(tree)).chain((path) => anyValue.map((v) => setAt(tree, path, () => v))),
  (tree) => fc.constantFrom(...paths(tree)).map((path) => setAt(tree, path, () => undefined)),
  (tree) =>
    fc
      .tuple(fc.constantFrom(...paths(tree)), fc.integer({ min: 2_000, max: 20_000 }), unicode)
      .map(([path, size, seed]) =>
        setAt(tree, path, () => (seed || 'x').repeat(Math.ceil(size / Math.max(1, seed.length)))),
      ),
  (tree) =>
    fc
      .tuple(fc.constantFrom(...paths(tree)), fc.integer({ min: 20, max: 400 }))
      .map(([path, depth]) => setAt(tree, path, (old) => nest(depth, old))),
  (tree) =>
    fc.tuple(fc.constantFrom(...paths(tree)), unicode).map(([path, text]) => setAt(tree, path, () => text)),
  (tree) =>
    fc
      .constantFrom(...paths(tree))
      .map((path) =>
        setAt(tree, path, (old) =>
          Array.isArray(old) ? [...old, ...old, ...old] : old === null ? [] : [old],
        ),
      ),
];

/** A fixture mutated 1–4 times. */
function mutatedTree(fixtures: readonly Json[]): fc.Arbitrary<Json> {
  const step = (tree: Json, left: number): fc.Arbitrary<Json> =>
    left === 0
      ? fc.constant(tree)
      : fc
          .oneof(
            ...mutations.map((mutate, index) => ({
              weight: index === 2 ? 1 : 12,
              arbitrary: fc.constant(mutate),
            })),
          )
          .chain((mutate) => mutate(tree).chain((next) => step(next, left - 1)));
  return fc
    .tuple(fc.constantFrom(...fixtures), fc.integer({ min: 1, max: 4 }))
    .chain(([tree, n]) => step(tree, n));
}

/** Byte-level damage: truncation, flipped bytes, garbage, not JSON at all. */
function damagedBytes(fixtures: readonly Json[]): fc.Arbitrary<Buffer> {
  const bytes = fc.constantFrom(...fixtures).map((tree) => Buffer.from(JSON.stringify(tree)));
  return fc.oneof(
    bytes.chain((b) => fc.nat(b.length).map((cut) => b.subarray(0, cut))),
    bytes.chain((b) =>
      fc
        .array(fc.tuple(fc.nat(b.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        })
        .map((flips) => {
          const copy = Buffer.from(b);
          for (const [at, value] of flips) copy[at] = value;
          return copy;
        }),
    ),
    fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array)),
    fc
      .constantFrom('', 'null', '[]', '{}', '"x"', '1e999', '{"object":"whatsapp_business_account"}')
      .map((s) => Buffer.from(s)),
    fc
      .integer({ min: 1000, max: 20_000 })
      .map((depth) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  );
}

/**
 * The mix of generated POSTs: mostly correctly signed mutated fixtures (they reach the parser), then damaged
 * bytes, then bad signatures (missing, wrong secret, malformed, over other bytes), and a few oversized bodies.
 */
export function fuzzCases(
  fixtures: readonly unknown[],
  appSecret: string,
  bodyLimit: number,
): fc.Arbitrary<FuzzCase> {
  const trees = fixtures as Json[];
  const signed =
    (kind: string) =>
    (body: Buffer): FuzzCase => ({
      kind,
      body,
      signature: createSignature(body, appSecret),
      expect: body.length > bodyLimit ? 'too-large' : 'accepted-or-rejected',
    });
  const mutated = mutatedTree(trees).map((tree) => Buffer.from(JSON.stringify(tree)));
  const badSignature = fc
    .tuple(mutated, fc.constantFrom('missing', 'wrong-secret', 'malformed', 'other-bytes', 'sha1', 'empty'))
    .map(([body, how]): FuzzCase => {
      const signature = {
        missing: undefined,
        'wrong-secret': createSignature(body, `${appSecret}x`),
        malformed: `sha256=${'zz'.repeat(32)}`,
        'other-bytes': createSignature(Buffer.concat([body, Buffer.from(' ')]), appSecret),
        sha1: `sha1=${'ab'.repeat(20)}`,
        empty: '',
      }[how];
      return { kind: `signature:${how}`, body, signature, expect: 'unauthorized' };
    });
  const oversized = fc
    .integer({ min: bodyLimit + 1, max: bodyLimit + 16_384 })
    .map((size) =>
      Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(size) })),
    );
  return fc.oneof(
    { weight: 70, arbitrary: mutated.map(signed('mutated')) },
    { weight: 15, arbitrary: damagedBytes(trees).map(signed('bytes')) },
    { weight: 14, arbitrary: badSignature },
    { weight: 1, arbitrary: oversized.map(signed('oversized')) },
  );
}
