// The page's face of model monitoring: it checks input and times calls; on the calling task a
// call only queues its record, and the records of a task are processed together in a microtask
// after it (the per-call `inference` events and the aggregates). The aggregates (sketch, drift,
// alerts, summaries) live in ./monitor, loaded on the first call, so a page that runs no model
// never downloads them.
import { attempt } from '../lib/attempt';
import { warn } from '../lib/debug';
import { createWorkGroup } from '../lib/workGroup';
import type { Config } from '../options';
import type { Baseline, Client, InferenceRecord, ModelStats } from '../types';
import type { Part, Recorder } from '../internal';
import type { FleetBaselines } from './fleetBaselines';
import type { ModelMonitor } from './monitor';
import { atLeast, wrapInference, type Fn } from './wrapInference';

/** Model names remembered to mark each one's first call `cold` (a bound on memory only). */
const MAX_NAMES = 1000;
/** Calls kept for the aggregates while ./monitor loads; a page that makes more meanwhile loses the excess from its summaries only. */
const MAX_WAITING = 10_000;

export interface Models extends Part {
  wrap: Client['wrapInference'];
  record: Client['recordInference'];
  baseline: Client['setBaseline'];
  /** Processes the calls queued so far, then settles once the aggregates are loaded (at once when nothing asked for them). */
  ready(): Promise<unknown>;
  /** What `stats().models` says. */
  stats(): ModelStats;
}

/** What to do with the aggregates once ./monitor is loaded: a call to observe, or another task. */
type Task = InferenceRecord | ((m: ModelMonitor) => void);

/** The text fields `recordInference` keeps (each cut to MAX_TEXT_CHARS), and its number fields. */
const TEXT_FIELDS = ['version', 'backend', 'backendRequested', 'error', 'message'] as const;
const NUMBER_FIELDS = ['inputSize', 'output', 'kernelMs'] as const;
const MAX_TEXT_CHARS = 200;

/** What `stats().models` says where nothing monitors models (a disabled client). */
export const noModelStats = (): ModelStats => ({ overCap: 0, fleetBaselines: 0, fleetBaselineFailures: 0 });

const isName = (v: unknown): v is string => typeof v == 'string' && !!v.trim() && v.length <= 200;

/** @param invalid counts a call whose input was dropped (`stats().dropped.invalid`) */
export const createModels = (rec: Recorder, cfg: Config, invalid: () => void): Models => {
  const warm = new Set<string>();
  // models with aggregates (at most cfg.maxModels), and models refused for the cap
  const monitored = new Set<string>();
  const overCap = new Set<string>();
  // models whose baseline setBaseline gave: it wins over the fleet's
  const given = new Set<string>();
  let fleet: FleetBaselines = {};
  const counts = noModelStats();
  let monitor: ModelMonitor | undefined;
  let loading: Promise<unknown> | undefined;
  // what arrives before ./monitor (and the fleet baselines, when asked for) is there
  let waiting: Task[] = [];
  let stopped = false;

  const feed = (task: Task) => {
    if (monitor) return typeof task == 'function' ? task(monitor) : monitor.observe(task);
    if (waiting.length < MAX_WAITING) waiting.push(task);
    loading ||= Promise.all([import('./monitor'), fleetBaselines()]).then(
      ([m]) =>
        attempt(rec.internal, () => {
          if (stopped) return;
          monitor = m.default(rec, cfg);
          waiting.forEach(feed);
          waiting = [];
        }),
      (e) => {
        // not loaded (offline, a failed deploy): the calls so far are in their per-call events; the next call tries again
        rec.internal(e);
        waiting = [];
        loading = undefined;
      },
    );
  };

  /**
   * Loads the fleet baselines once (none without `baselineUrl`) and gives them to the models seen so
   * far; their loader is a chunk of its own, which only a site with `baselineUrl` downloads.
   */
  let fleetLoad: Promise<void> | undefined;
  const fleetFailed = () => {
    counts.fleetBaselineFailures++;
  };
  const useFleet = (baselines: FleetBaselines) => {
    fleet = baselines;
    counts.fleetBaselines = Object.keys(baselines).length;
    monitored.forEach(useFleetBaseline);
  };
  const fleetBaselines = () => {
    const url = cfg.baselineUrl;
    // a chunk that does not load counts as a failed fetch: the models learn their baselines
    fleetLoad ||= url
      ? import('./fleetBaselines').then(({ loadFleetBaselines }) => loadFleetBaselines(url, fleetFailed).then(useFleet), fleetFailed)
      : Promise.resolve();
    return fleetLoad;
  };

  /** Starts `model` from the fleet's baseline, unless setBaseline gave one. */
  const useFleetBaseline = (model: string) => {
    const baseline = fleet[model];
    if (baseline && !given.has(model)) waiting.unshift((m) => m.baseline(model, baseline, baseline.n));
  };

  /** Whether `model` has aggregates; a model past `maxModels` is counted and warned of once. */
  const admit = (model: string): boolean => {
    if (monitored.has(model)) return true;
    if (monitored.size < cfg.maxModels) {
      monitored.add(model);
      if (fleet[model] && !given.has(model)) feed((m) => m.baseline(model, fleet[model], fleet[model].n));
      return true;
    }
    if (!overCap.has(model) && overCap.size < MAX_NAMES) {
      if (!overCap.size) warn(`maxModels (${cfg.maxModels}) reached: ${model} and later models get no summaries, drift or alerts`);
      overCap.add(model);
      counts.overCap = overCap.size;
    }
    return false;
  };

  const bad = (method: string, v: unknown) => {
    invalid();
    warn(method + '(): bad input', v);
  };

  /** The calls of a task, after it: each one's `inference` event, and the aggregates. */
  const processCalls = (records: InferenceRecord[]) => {
    if (stopped) return;
    for (const r of records) {
      if (!warm.has(r.model) && warm.size < MAX_NAMES) {
        warm.add(r.model);
        r.cold = true;
      }
      // per-call events pass the privacy gate's `sampling.inference`; summaries stay exact
      rec.record('inference', r as unknown as Record<string, unknown>);
      if (admit(r.model)) feed(r);
    }
  };
  const calls = createWorkGroup(processCalls, queueMicrotask);

  /** One call, from the wrapper or `recordInference`: queued, O(1). */
  const observe = (r: InferenceRecord) => {
    if (!stopped) calls.add(r);
  };

  return {
    ready() {
      calls.drain();
      return Promise.resolve(loading);
    },
    stats() {
      // the calls of the current task count too
      calls.drain();
      return { ...counts };
    },
    flush() {
      // the calls of the current task count in the summaries
      calls.drain();
      monitor?.flush();
    },
    stop() {
      stopped = true;
      monitor?.stop();
    },
    wrap<F extends Fn>(fn: F, o: Parameters<Client['wrapInference']>[1]): F {
      if (typeof fn != 'function' || !isName(o?.model)) {
        bad('wrapInference', o);
        return fn;
      }
      return wrapInference(fn, o as Parameters<typeof wrapInference<F>>[1], observe);
    },
    record(input) {
      const i = input as unknown as Record<string, unknown>;
      if (!isName(i?.model) || !atLeast(i.durationMs, 0) || typeof i.ok != 'boolean')
        return bad('recordInference', i);
      const r: Record<string, unknown> = { model: i.model, durationMs: i.durationMs, ok: i.ok, source: i.source == 'fallback' ? 'fallback' : 'model' };
      for (const k of TEXT_FIELDS) if (typeof i[k] == 'string') r[k] = (i[k] as string).slice(0, MAX_TEXT_CHARS);
      for (const k of NUMBER_FIELDS) if (atLeast(i[k], -Infinity)) r[k] = i[k];
      observe(r as unknown as InferenceRecord);
    },
    baseline(model, b: Baseline) {
      const ok = (k: keyof Baseline, min: number) => b[k] === undefined || atLeast(b[k], min);
      if (!isName(model) || !b || !ok('mean', -Infinity) || !ok('std', 0) || !ok('latencyMs', 1e-3) || !ok('latencyStdMs', 0))
        return bad('setBaseline', b);
      given.add(model);
      if (admit(model)) feed((m) => m.baseline(model, b));
    },
  };
};
