/**
 * How a figure is read from a benchmark's result JSON, and the targets it is checked against (issue 22). Pure: it
 * reads JSON that others own and change, so every key is looked up defensively — a missing or non-numeric key is
 * "not measured", never a crash.
 */
export type BenchName = 'webhook' | 'router' | 'notify' | 'e2e' | 'media';

export interface Target {
  op: '>=' | '<=' | '==';
  value: number;
}

/** One figure as read from a result: a number to check, or text when the JSON holds something else. */
export interface Reading {
  value?: number;
  /** Shown instead of the number; alone (no value) it means "present, but not a number" (e.g. 'would occur'). */
  text?: string;
}

export interface FigureSpec {
  bench: BenchName;
  name: string;
  unit?: string;
  /** None: the figure is reported only. */
  target?: Target;
  read(result: unknown): Reading;
}

/** `at(json, 'a', 'b', 0)`: the value at that path, or undefined when any step is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export const reading = (value: unknown): Reading => {
  const n = num(value);
  if (n !== undefined) return { value: n };
  if (typeof value === 'string' || typeof value === 'boolean') return { text: String(value) };
  return {};
};

export const path =
  (...steps: (string | number)[]) =>
  (result: unknown) =>
    reading(at(result, ...steps));

/** a − b, when both are numbers (expected − published: 0 when Kafka holds exactly what was acknowledged). */
export const difference = (a: unknown, b: unknown): Reading => {
  const [x, y] = [num(a), num(b)];
  return x === undefined || y === undefined ? {} : { value: x - y, text: `${x - y} (${x} − ${y})` };
};

/** measured / configured, shown with both rates. */
export const shareOf = (measured: unknown, configured: unknown): Reading => {
  const [m, c] = [num(measured), num(configured)];
  return m === undefined || c === undefined || c === 0
    ? {}
    : { value: m / c, text: `${round(m / c, 3)} (${round(m, 1)}/s of ${c}/s)` };
};

export const sum = (...values: unknown[]): Reading => {
  const numbers = values.map(num);
  return numbers.some((n) => n === undefined)
    ? {}
    : { value: numbers.reduce<number>((total, n) => total + (n ?? 0), 0) };
};

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const zero: Target = { op: '==', value: 0 };

/** A boolean figure: 1 when true (held), 0 when false; anything else is not measured. */
export function yes(value: unknown): Reading {
  return typeof value === 'boolean' ? { value: value ? 1 : 0, text: value ? 'yes' : 'no' } : {};
}
