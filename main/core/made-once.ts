// A thing made on first use (a module loaded, a client built on it) and kept: what only some
// processes need stays out of the others' memory. A make that failed is not kept, so the next use
// makes it again, and callers see the failure where they use it.

export interface MadeOnce<T> {
  /** The thing, made by the first call (calls meanwhile share the making). */
  get(): Promise<T>;
  /** The thing once made; undefined before. */
  readonly made: T | undefined;
}

export function madeOnce<T>(make: () => Promise<T>): MadeOnce<T> {
  let made: T | undefined;
  let making: Promise<T> | undefined;
  return {
    get: () =>
      (making ??= make().then(
        (thing) => (made = thing),
        (error: unknown) => {
          making = undefined;
          throw error;
        },
      )),
    get made() {
      return made;
    },
  };
}
