import type { Recorder } from '../internal';

/** Does nothing: the stand-in for an optional callback. */
export const noop = (): void => {};

/** Calls `fn`; an error it throws goes to `onError` (the SDK's count), never to the page. */
export const attempt = <Args extends unknown[], Result>(
  onError: (error: unknown) => void,
  fn: (...args: Args) => Result,
  ...args: Args
): Result | undefined => {
  try {
    return fn(...args);
  } catch (error) {
    onError(error);
  }
};

/** The function, with its errors kept inside the SDK (counted, never thrown into the page). */
export const guard =
  <Args extends unknown[]>(recorder: Recorder, fn: (...args: Args) => unknown) =>
  (...args: Args): void =>
    void attempt(recorder.internal, fn, ...args);
