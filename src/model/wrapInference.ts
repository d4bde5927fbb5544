// Times every call of an inference function and hands one record per call to `observe`.
// The caller gets exactly what `fn` returns or throws (the very same promise object), with
// `this` and arguments passed through; only a `fallback` may replace a failure or a timeout.
import { warn } from '../lib/debug';
import type { InferenceOptions, InferenceRecord } from '../types';

export type Fn = (...args: any[]) => any;

/** What the fallback was given instead of an error when the model ran out of time. */
const TIMEOUT = {};

/** A finite number at least `min`. */
export const atLeast = (v: unknown, min: number): v is number => typeof v == 'number' && isFinite(v) && v >= min;

/** A finite number from a user callback, or undefined; a callback that throws is skipped. */
export const num = (f: (x: never) => unknown, x: unknown): number | undefined => {
  try {
    const v = f(x as never);
    return atLeast(v, -Infinity) ? v : undefined;
  } catch (e) {
    warn('callback threw', e);
  }
};

/**
 * `fn` timed. A sync call that returns costs the caller two clock reads, one record and a push
 * onto `observe`'s queue: no closure, no copy of the arguments (they are copied only for
 * `inputSize` and a `fallback`, which are given them).
 */
export const wrapInference = <F extends Fn>(fn: F, o: InferenceOptions<F>, observe: (r: InferenceRecord) => void): F => {
  const { model, version, backend, backendRequested, inputSize, summarize, fallback, timeoutMs } = o;
  const needsArgs = !!(inputSize || fallback);

  /** Records a call that began at t0: `v` is its output, or its error when not `ok` (served by the fallback, when there is one). */
  const note = (t0: number, args: unknown[] | undefined, ok: boolean, v: unknown) => {
    const r: InferenceRecord = { model, durationMs: Math.round((performance.now() - t0) * 1e3) / 1e3, ok, source: !ok && fallback ? 'fallback' : 'model' };
    if (version !== undefined) r.version = version;
    if (backend !== undefined) r.backend = backend;
    if (backendRequested !== undefined) r.backendRequested = backendRequested;
    if (inputSize) r.inputSize = num(inputSize, args);
    try {
      if (ok) {
        if (summarize) r.output = num(summarize, v);
      } else if (v == TIMEOUT) r.error = 'Timeout';
      else {
        r.error = (v as Error)?.name || typeof v;
        r.message = String((v as Error)?.message ?? v).slice(0, 200);
      }
    } catch {
      // an error whose name or message getters throw: what it is stays unknown
    }
    observe(r);
  };

  return function (this: unknown) {
    const t0 = performance.now();
    // `arguments`, not a rest parameter: only handed to `apply`, it is never copied
    const args: unknown[] | undefined = needsArgs ? Array.prototype.slice.call(arguments) : undefined;
    let out;
    try {
      out = fn.apply(this, arguments as unknown as unknown[]);
    } catch (e) {
      note(t0, args, false, e);
      if (fallback) return fallback.apply(this, args!);
      throw e;
    }
    if (typeof out?.then != 'function') {
      note(t0, args, true, out);
      return out;
    }
    if (!fallback) {
      // the caller keeps the very same promise; these handlers only watch it
      out.then(
        (v: unknown) => note(t0, args, true, v),
        (e: unknown) => note(t0, args, false, e),
      );
      return out;
    }
    return new Promise((resolve, reject) => {
      let done = 0;
      /** The first of: the call settles, it runs out of time. A failure is served by the fallback. */
      const end = (ok: boolean) => (v: unknown) => {
        if (done++) return;
        clearTimeout(timer);
        note(t0, args, ok, v);
        try {
          resolve(ok ? v : fallback.apply(this, args!));
        } catch (x) {
          reject(x);
        }
      };
      const timer = timeoutMs! >= 0 ? setTimeout(end(false), timeoutMs, TIMEOUT) : undefined;
      out.then(end(true), end(false));
    });
  } as F;
};
