// Per-model aggregates kept on the device: every call updates them in O(1); an
// `inference_summary` per model leaves every `summaryIntervalMs`, on flush and on page hide,
// covering the calls since the one before, so per-call events can be sampled down while
// summaries stay exact.
import { warn } from '../lib/debug';
import type { Config } from '../options';
import type { Baseline, Client, InferenceRecord, Part, Recorder } from '../types';
import { createAlerts, type Alerts } from './alerts';
import { createDrift, round, type Drift } from './drift';
import { health } from './health';
import { createSketch, sketchAdd, sketchBins, sketchQuantile } from './sketch';
import { createWelford, welfordAdd, welfordStd } from './welford';
import { wrapInference, type Fn } from './wrapInference';

/** Models tracked at once; calls of more models still send their events. */
const MAX_MODELS = 32;

/** What a summary covers: the calls since the one before. */
const since = () => ({ sk: createSketch(), out: createWelford(), count: 0, errors: 0, fallbacks: 0, timeouts: 0 });

interface Model extends ReturnType<typeof since> {
  version?: string;
  backend?: string;
  /** Called at least once in this page. */
  warm?: boolean;
  drift: Drift;
  /** Drift level after the last call: 0 none, 1 medium, 2 high. */
  level: number;
  alerts: Alerts;
}

export interface ModelMonitor extends Part {
  wrap: Client['wrapInference'];
  record: Client['recordInference'];
  baseline: Client['setBaseline'];
}

const isName = (v: unknown): v is string => typeof v == 'string' && !!v.trim() && v.length <= 200;
/** A finite number at least `min`. */
const atLeast = (v: unknown, min: number): v is number => typeof v == 'number' && isFinite(v) && v >= min;

/**
 * @param invalid counts a call whose input was dropped (`stats().dropped.invalid`)
 */
export const createModelMonitor = (rec: Recorder, cfg: Config, invalid: () => void): ModelMonitor => {
  const models = new Map<string, Model>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;

  const bad = (method: string, v: unknown) => {
    invalid();
    warn(method + '(): bad input', v);
  };

  const get = (name: string): Model | undefined => {
    let m = models.get(name);
    if (!m && models.size < MAX_MODELS) {
      const alerts = createAlerts(cfg, (rule, severity, value, threshold, open) =>
        rec.record('alert', {
          model: name,
          rule,
          severity,
          value,
          threshold,
          status: open ? 'raised' : 'cleared',
          ...(rule == 'drift' && { drift: m!.drift.report() }),
        }),
      );
      models.set(name, (m = { ...since(), drift: createDrift(cfg.baselineSize), level: 0, alerts }));
    }
    return m;
  };

  const summarize = (name: string, m: Model) => {
    if (!m.count) return;
    const { sk, out } = m;
    const [critical, warnings] = m.alerts.open();
    const mean = sk.sum / sk.n;
    rec.record('inference_summary', {
      model: name,
      version: m.version,
      backend: m.backend,
      count: m.count,
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
      output: out.n ? { n: out.n, mean: out.mean, std: welfordStd(out) } : undefined,
      drift: m.drift.report(),
      health: health(m.count, m.errors, m.fallbacks, mean, cfg.latencyBudgetMs, critical, warnings),
      sketch: sketchBins(sk),
    });
    Object.assign(m, since());
  };

  /** One call, from the wrapper or `recordInference`. O(1). */
  const observe = (r: InferenceRecord) => {
    if (stopped) return;
    try {
      const m = get(r.model);
      if (m) {
        if (!m.warm) r.cold = m.warm = true;
        m.version = r.version;
        m.backend = r.backend;
        const fb = r.source == 'fallback';
        m.count++;
        m.errors += +!r.ok;
        m.fallbacks += +fb;
        m.timeouts += +(r.error == 'Timeout');
        sketchAdd(m.sk, r.durationMs);
        if (r.output !== undefined) welfordAdd(m.out, r.output);
        // the first call pays for compiling and warming up: it says nothing about drift
        if (r.ok && !r.cold) m.level = m.drift.feed(r.output, r.durationMs);
        m.alerts.add(!r.ok, fb, r.durationMs, m.level);
        if (!timer && cfg.summaryIntervalMs) timer = setInterval(flush, cfg.summaryIntervalMs);
      }
      // per-call events pass the privacy gate's `sampling.inference`; summaries above stay exact
      rec.record('inference', r as unknown as Record<string, unknown>);
    } catch (e) {
      rec.internal(e);
    }
  };

  const flush = () => models.forEach((m, name) => summarize(name, m));

  return {
    flush,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    wrap<F extends Fn>(fn: F, o: Parameters<Client['wrapInference']>[1]): F {
      if (typeof fn != 'function' || !o || !isName(o.model)) {
        bad('wrapInference', o);
        return fn;
      }
      return wrapInference(fn, o as Parameters<typeof wrapInference<F>>[1], observe);
    },
    record(input) {
      const i = input as unknown as Record<string, unknown>;
      if (!i || !isName(i.model) || !atLeast(i.durationMs, 0) || typeof i.ok != 'boolean')
        return bad('recordInference', input);
      const r: Record<string, unknown> = { model: i.model, durationMs: i.durationMs, ok: i.ok, source: i.source == 'fallback' ? 'fallback' : 'model' };
      for (const k of ['version', 'backend', 'backendRequested', 'error', 'message'])
        if (typeof i[k] == 'string') r[k] = (i[k] as string).slice(0, 200);
      for (const k of ['inputSize', 'output', 'kernelMs']) if (atLeast(i[k], -Infinity)) r[k] = i[k];
      observe(r as unknown as InferenceRecord);
    },
    baseline(model, b: Baseline) {
      const ok = (k: keyof Baseline, min: number) => b[k] === undefined || atLeast(b[k], min);
      if (!isName(model) || !b || !ok('mean', -Infinity) || !ok('std', 0) || !ok('latencyMs', 1e-3) || !ok('latencyStdMs', 0))
        return bad('setBaseline', b);
      get(model)?.drift.base(b);
    },
  };
};
