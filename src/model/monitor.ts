// Per-model aggregates kept on the device (loaded by ./models on a page's first model call):
// every call updates them in O(1); an `inference_summary` per model leaves every
// `summaryIntervalMs`, on flush and on page hide, covering the calls since the one before, so
// per-call events can be sampled down while summaries stay exact.
import type { Config } from '../options';
import type { Baseline, InferenceRecord } from '../types';
import type { Part, Recorder } from '../internal';
import { createAlerts, type Alerts } from './alerts';
import { createDrift, round, type Drift } from './drift';
import { health } from './health';
import { createSketch, sketchAdd, sketchBuckets, sketchQuantile } from './sketch';
import { createWelford, welfordAdd, welfordStd } from './welford';

/**
 * What a summary covers: the calls since the one before (`sk.n` of them: every call is timed).
 * The latency sketch counts in seconds for OTLP, whose histogram is in seconds, else in ms.
 * `out` and `latency` are Welford moments (count, mean, M2) of the outputs and of the latency
 * of the calls drift is measured on (served by the model, not the first): what an ingest
 * merges across pages into fleet baselines (Chan et al.'s parallel formula).
 */
const since = (cfg: Config) => ({
  sk: createSketch(cfg.protocol == 'otlp' ? 1000 : 1),
  out: createWelford(),
  latency: createWelford(),
  errors: 0,
  fallbacks: 0,
  timeouts: 0,
});

interface Model extends ReturnType<typeof since> {
  /** The last call (its version and backend go in the summary). */
  last?: InferenceRecord;
  drift: Drift;
  /** Drift level after the last call: 0 none, 1 medium, 2 high. */
  level: number;
  alerts: Alerts;
}

export interface ModelMonitor extends Part {
  flush(): void;
  /** One checked call. */
  observe(r: InferenceRecord): void;
  /** A checked baseline, learned from `calls` calls (Infinity: exact, as `setBaseline` gives it). */
  baseline(model: string, b: Baseline, calls?: number): void;
}

const createModelMonitor = (rec: Recorder, cfg: Config): ModelMonitor => {
  const models = new Map<string, Model>();
  let timer: ReturnType<typeof setInterval> | undefined;

  /** The aggregates of `name` (./models admits at most `maxModels` names). */
  const get = (name: string): Model => {
    let m = models.get(name);
    if (!m) {
      const drift = createDrift(cfg.baselineSize);
      const alerts = createAlerts(cfg, rec, name, drift.report);
      models.set(name, (m = { ...since(cfg), drift, level: 0, alerts }));
    }
    return m;
  };

  const summarize = (m: Model, name: string) => {
    const { sk, out } = m;
    if (!sk.n) return;
    const mean = sk.sum / sk.n;
    rec.record('inference_summary', {
      model: name,
      version: m.last!.version,
      backend: m.last!.backend,
      count: sk.n,
      errors: m.errors,
      fallbacks: m.fallbacks,
      timeouts: m.timeouts,
      latency: {
        p50: round(sketchQuantile(sk, 0.5)),
        p95: round(sketchQuantile(sk, 0.95)),
        p99: round(sketchQuantile(sk, 0.99)),
        max: round(sk.max),
        mean: round(mean),
      },
      output: out.n ? { n: out.n, mean: out.mean, std: welfordStd(out), m2: out.m2 } : undefined,
      // the moments a fleet baseline is merged from (latency of the calls drift measures)
      latencyMoments: m.latency.n ? { n: m.latency.n, mean: m.latency.mean, m2: m.latency.m2 } : undefined,
      drift: m.drift.report(),
      health: health(sk.n, m.errors, m.fallbacks, mean, cfg.latencyBudgetMs, ...m.alerts.open),
      sketch: sketchBuckets(sk),
    });
    Object.assign(m, since(cfg));
  };

  /** One call. O(1). */
  const observe = (r: InferenceRecord) => {
    try {
      const m = get(r.model);
      m.last = r;
      const fb = r.source == 'fallback';
      m.errors += +!r.ok;
      m.fallbacks += +fb;
      m.timeouts += +(r.error == 'Timeout');
      sketchAdd(m.sk, r.durationMs);
      if (r.output !== undefined) welfordAdd(m.out, r.output);
      // the first call pays for compiling and warming up: it says nothing about drift
      if (r.ok && !r.cold) {
        m.level = m.drift.feed(r.output, r.durationMs);
        welfordAdd(m.latency, r.durationMs);
      }
      m.alerts.add(!r.ok, fb, r.durationMs, m.level);
      if (!timer && cfg.summaryIntervalMs) timer = setInterval(flush, cfg.summaryIntervalMs);
    } catch (e) {
      rec.internal(e);
    }
  };

  const flush = () => models.forEach(summarize);

  return {
    flush,
    observe,
    stop: () => clearInterval(timer),
    baseline: (model, b, calls) => get(model).drift.base(b, calls),
  };
};

// the default export: what ./models' lazy import() reads (a name would be spelled out twice in the IIFE)
export default createModelMonitor;
