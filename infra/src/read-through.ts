/**
 * A stand-in for a value a test file creates in `beforeAll`: taken at the top of the file, it reads through to
 * the value once it exists (methods bound to it), and names the mistake when read before. Lets a helper own a
 * file's setup and teardown without every test file repeating its `let` and hooks.
 */
export function readThrough<T extends object>(current: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = current();
      if (!target) throw new Error(`${what} starts in beforeAll: use it inside a test`);
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
