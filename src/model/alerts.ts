// Alert rules over a model's recent calls, checked on every call in O(1) with no buffer:
// rates and mean latency are running means over the first W calls, then exponentially
// weighted with weight 1/W (so they follow about the last W calls). A rule raises one alert
// when it starts to hold and one more when it clears; to clear, its value must come back
// to 80% of the threshold, so a value hovering at the threshold cannot flap.
import type { DriftReport } from '../types';
import type { Recorder } from '../internal';
import { SEVERITY } from './drift';

/** Calls the rates and the mean latency follow. */
export const W = 100;
/** Calls a model must have made before its rules are checked. */
export const MIN_CALLS = 20;

export interface AlertConfig {
  alertErrorRate: number;
  alertLatencyMs: number;
  alertServedRate: number;
  alertDrift: 'high' | 'medium' | 'off';
}

export interface Alerts {
  /** One call: failed, served by the fallback, its duration, the drift level (0..2) after it. */
  add(failed: boolean, fallback: boolean, ms: number, drift: number): void;
  /** Open alerts, kept up to date. */
  readonly open: readonly [critical: number, warnings: number];
}

const RULES = ['error_rate', 'latency', 'served', 'drift'];

/** Records an `alert` event for `model` when a rule opens and one when it clears; `report` is its drift now. */
export const createAlerts = (cfg: AlertConfig, rec: Recorder, model: string, report: () => DriftReport): Alerts => {
  let n = 0;
  let errors = 0;
  let ms = 0;
  let fallbacks = 0;
  const on: boolean[] = [];
  const open: [number, number] = [0, 0];
  // the drift level that raises: 2 high, 1 medium, -1 off (levels are never under 0)
  const drift = (SEVERITY as string[]).indexOf(cfg.alertDrift);
  const limits = [cfg.alertErrorRate, cfg.alertLatencyMs, cfg.alertServedRate, drift];

  /** `bad` is the value against its threshold: over 1 raises the rule, 0.8 or under clears it. */
  const check = (j: number, value: number, bad: number) => {
    if (on[j] ? bad > 0.8 : !(bad > 1)) return;
    on[j] = !on[j];
    // error_rate and drift are critical, latency and served warnings
    open[j % 3 ? 1 : 0] += on[j] ? 1 : -1;
    rec.record('alert', {
      model,
      rule: RULES[j],
      severity: j % 3 ? 'warning' : 'critical',
      value: Math.round(value * 1e4) / 1e4,
      threshold: limits[j],
      status: on[j] ? 'raised' : 'cleared',
      ...(j == 3 && { drift: report() }),
    });
  };

  return {
    add(failed, fallback, d, level) {
      const k = Math.min(++n, W);
      errors += (+failed - errors) / k;
      ms += (d - ms) / k;
      fallbacks += (+fallback - fallbacks) / k;
      if (n < MIN_CALLS) return;
      // an error rate cannot be over 1 (off); a latency limit of 0 is off; the served share
      // is bad when the fallback share is over 1 - limit (never, for a limit of 0)
      check(0, errors, errors / cfg.alertErrorRate);
      check(1, ms, cfg.alertLatencyMs && ms / cfg.alertLatencyMs);
      check(2, 1 - fallbacks, fallbacks / (1 - cfg.alertServedRate));
      // levels are whole: over half a level under the limit is at the limit
      check(3, level, level / (drift - 0.5));
    },
    open,
  };
};
