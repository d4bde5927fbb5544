import type { Recorder } from '../internal';

export const noop = (): void => {};

/** Calls `f`; an error it throws goes to `onError` (the SDK's count), never to the page. */
export const attempt = <A extends unknown[], R>(onError: (e: unknown) => void, f: (...a: A) => R, ...a: A): R | undefined => {
  try {
    return f(...a);
  } catch (e) {
    onError(e);
  }
};

/** The function, with its errors kept inside the SDK (counted, never thrown into the page). */
export const guard =
  <A extends unknown[]>(r: Recorder, fn: (...a: A) => unknown) =>
  (...a: A): void =>
    void attempt(r.internal, fn, ...a);
