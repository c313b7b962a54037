let last = 0;

/** A stable React key for a row the operator adds or removes (indexes would shift the inputs' state). */
export function draftKey(): string {
  last += 1;
  return `d${last}`;
}
