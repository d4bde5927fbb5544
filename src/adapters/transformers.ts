// transformers.js: times calls of a pipeline (a callable object). Duck-typed: the library is never imported.
import type { Client, InferenceOptions } from '../types';

type Pipe = (...args: any[]) => Promise<any>;

export interface PipelineOptions extends Omit<InferenceOptions<Pipe>, 'model'> {
  /** Defaults to the pipeline's model name (`pipe.model.config._name_or_path`), else its task. */
  model?: string;
  /** The `device` the pipeline was created with (webgpu, wasm...), recorded as `backend`. */
  device?: string;
}

/** The score of the top result: `[{ label, score }, ...]`, or the first of a batch of those. */
const topScore = (out: unknown): number | undefined => {
  const first = Array.isArray(out) ? out[0] : out;
  return (Array.isArray(first) ? first[0] : first)?.score;
};

/** Characters of a text input, or items of a batch. */
const length = ([x]: unknown[]): number => (x as string)?.length;

/**
 * A pipeline that records every call; everything else about it (its task, tokenizer,
 * `dispose`...) is the pipeline's own.
 */
export const monitorPipeline = <P extends Pipe>(client: Client, pipe: P, options: PipelineOptions = {}): P => {
  const p = pipe as P & { task?: string; model?: { config?: { _name_or_path?: string } } };
  const { device, ...o } = options;
  const run = client.wrapInference(pipe, {
    summarize: topScore,
    inputSize: length,
    backend: device || 'wasm',
    ...o,
    model: o.model || p.model?.config?._name_or_path || p.task || 'pipeline',
  });
  return new Proxy(pipe, { apply: (_, self, args) => run.apply(self, args) });
};
