// Alert rules over a model's recent calls, checked on every call in O(1) with no buffer:
// rates and mean latency are running means over the first RECENT_CALLS calls, then
// exponentially weighted with weight 1/RECENT_CALLS (so they follow about the last
// RECENT_CALLS calls). A rule raises one alert when it starts to hold and one more when it
// clears; to clear, its value must come back to CLEAR_FRACTION of the threshold, so a value
// hovering at the threshold cannot flap.
import type { DriftReport } from '../types';
import type { Recorder } from '../internal';
import { SEVERITY } from './drift';

/** Calls the rates and the mean latency follow. */
export const RECENT_CALLS = 100;
/** Calls a model must have made before its rules are checked. */
export const MIN_CALLS = 20;
/** A raised rule clears once its value is back to this share of its threshold. */
const CLEAR_FRACTION = 0.8;

export interface AlertConfig {
  alertErrorRate: number;
  alertLatencyMs: number;
  alertServedRate: number;
  alertDrift: 'high' | 'medium' | 'off';
}

export interface Alerts {
  /** One call: failed, served by the fallback, its duration in ms, the drift level (0..2) after it. */
  add(failed: boolean, fallback: boolean, durationMs: number, driftLevel: number): void;
  /** Open alerts, kept up to date. */
  readonly open: readonly [critical: number, warnings: number];
}

type RuleName = 'error_rate' | 'latency' | 'served' | 'drift';

interface Rule {
  name: RuleName;
  severity: 'critical' | 'warning';
  threshold: number;
  raised: boolean;
}

/** Records an `alert` event for `model` when a rule opens and one when it clears; `report` is its drift now. */
export const createAlerts = (config: AlertConfig, recorder: Recorder, model: string, report: () => DriftReport): Alerts => {
  let calls = 0;
  let errorRate = 0;
  let meanMs = 0;
  let fallbackRate = 0;
  const open: [critical: number, warnings: number] = [0, 0];
  // the drift level that raises: 2 high, 1 medium, -1 off (levels are never under 0)
  const driftLevel = (SEVERITY as string[]).indexOf(config.alertDrift);
  const rule = (name: RuleName, severity: Rule['severity'], threshold: number): Rule => ({ name, severity, threshold, raised: false });
  const errors = rule('error_rate', 'critical', config.alertErrorRate);
  const latency = rule('latency', 'warning', config.alertLatencyMs);
  const served = rule('served', 'warning', config.alertServedRate);
  const drift = rule('drift', 'critical', driftLevel);

  /** `badness` is the value against its threshold: over 1 raises the rule; CLEAR_FRACTION or under (or none: 0 / 0) clears it. */
  const check = (r: Rule, value: number, badness: number) => {
    const flips = r.raised ? !(badness > CLEAR_FRACTION) : badness > 1;
    if (!flips) return;
    r.raised = !r.raised;
    open[r.severity == 'critical' ? 0 : 1] += r.raised ? 1 : -1;
    const event: Record<string, unknown> = {
      model,
      rule: r.name,
      severity: r.severity,
      value: Math.round(value * 1e4) / 1e4,
      threshold: r.threshold,
      status: r.raised ? 'raised' : 'cleared',
    };
    if (r == drift) event.drift = report();
    recorder.record('alert', event);
  };

  return {
    add(failed, fallback, durationMs, level) {
      calls++;
      const weight = 1 / Math.min(calls, RECENT_CALLS);
      errorRate += (Number(failed) - errorRate) * weight;
      meanMs += (durationMs - meanMs) * weight;
      fallbackRate += (Number(fallback) - fallbackRate) * weight;
      if (calls < MIN_CALLS) return;
      // an error rate cannot be over 1 (off); a latency limit of 0 is off (badness 0); the
      // served share is bad when the fallback share is over 1 - limit (never, for a limit of 0)
      check(errors, errorRate, errorRate / config.alertErrorRate);
      check(latency, meanMs, config.alertLatencyMs ? meanMs / config.alertLatencyMs : 0);
      check(served, 1 - fallbackRate, fallbackRate / (1 - config.alertServedRate));
      // levels are whole: over half a level under the limit is at the limit
      check(drift, level, level / (driftLevel - 0.5));
    },
    open,
  };
};
