// TensorFlow.js: times `predict`, `execute` and `executeAsync` of a LayersModel or GraphModel.
// Duck-typed: @tensorflow/tfjs is never imported; the page hands us its `tf`.
import type { Client, InferenceOptions } from '../types';

type Fn = (...args: any[]) => any;

export interface TfjsOptions extends Omit<InferenceOptions<Fn>, 'backend'> {
  /** The page's TensorFlow.js module: the backend comes from `tf.getBackend()`, kernel time from `tf.time`. */
  tf: { getBackend(): string; time?(f: () => void): Promise<{ kernelMs: number | object; wallMs: number }> };
  /** Also record the kernel time of `predict` / `execute` as `kernelMs` (with `tf.time`; no fallback then). */
  time?: boolean;
}

/** Elements in the input tensor(s). */
const elements = ([x]: unknown[]): number => {
  let n = 0;
  for (const t of Array.isArray(x) ? x : x && typeof x == 'object' && !('size' in x) ? Object.values(x) : [x]) n += (t as { size?: number })?.size || 0;
  return n;
};

/** Records every inference of a TensorFlow.js model (its methods are wrapped in place). */
export const monitorTfjs = <M extends object>(client: Client, model: M, options: TfjsOptions): M => {
  const { tf, time, ...o } = options;
  const m = model as Record<string, Fn>;
  const backend = tf.getBackend();
  for (const k of ['predict', 'execute', 'executeAsync']) {
    const f = m[k];
    if (typeof f != 'function') continue;
    m[k] =
      time && tf.time && k != 'executeAsync'
        ? function (this: unknown, ...args: unknown[]) {
            const t0 = performance.now();
            let out: unknown;
            let error: unknown;
            let failed = false;
            // tf.time runs the function before it returns; the kernel time comes later
            const timing = tf.time!(() => {
              try {
                out = f.apply(this, args);
              } catch (e) {
                failed = true;
                error = e;
              }
            });
            const durationMs = performance.now() - t0;
            let output: number | undefined;
            try {
              output = failed ? undefined : o.summarize?.(out);
            } catch {
              // a summarize that throws leaves the output out
            }
            timing.then(
              (t) =>
                client.recordInference({
                  model: o.model,
                  version: o.version,
                  backend,
                  durationMs,
                  ok: !failed,
                  output,
                  inputSize: elements(args),
                  kernelMs: typeof t.kernelMs == 'number' ? t.kernelMs : undefined,
                  error: failed ? (error as Error)?.name || typeof error : undefined,
                  message: failed ? String((error as Error)?.message ?? error) : undefined,
                }),
              () => {},
            );
            if (failed) throw error;
            return out;
          }
        : client.wrapInference(f, { inputSize: elements, ...o, backend });
  }
  return model;
};
