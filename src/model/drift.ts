// Drift of a model's outputs and latency against a baseline, checked on every call in O(1).
// The means of outputs and of log-latency are checked by a CUSUM on values whitened for their
// dependence (./meanTest), `medium` and `high` at two thresholds. The output variance is
// checked by CUSUMs on consecutive differences paired with the z-score of the last
// WINDOW_CALLS calls' variance, which says how far: `medium` while a CUSUM is over its
// threshold and |z| >= 2, `high` when |z| >= 3. The window's z-scores are reported beside.
// Everything is scaled by the dependence between consecutive calls (./channel). How fast and
// how rarely they fire is measured in bench/model.mjs.
import type { Baseline, DriftReport, DriftSeverity } from '../types';
import { channelAdd, createChannel, dependenceKnown, expectedDiffScale, meanShiftZ, setBaseline, varianceRatio, varianceRatioZ, type Channel } from './channel';
import { createMeanTest, HIGH, inMeanAlarm, LATENCY_SHIFT_SIGMAS, MEDIUM, meanTestAdd, NONE, OUTPUT_SHIFT_SIGMAS, resetMeanTest } from './meanTest';

export { WINDOW_CALLS } from './channel';

/** Drift levels by severity: a level is an index into this list. */
export const SEVERITY: DriftSeverity[] = ['none', 'medium', 'high'];
/** |z| from which the variance check in alarm is medium, and high. */
const MEDIUM_Z = 2;
const HIGH_Z = 3;

// The output variance is tested on consecutive differences, d²/2 over the baseline's own
// (χ²₁ for independent values, blind to mean shifts). The references are the likelihood-ratio
// optima for a doubled and a halved standard deviation.
const VARIANCE_UP_REFERENCE = (8 / 3) * Math.LN2;
const VARIANCE_DOWN_REFERENCE = Math.LN2 / 1.5;
/** CUSUM thresholds of the variance tests, in units of d²/2 over its baseline. */
const VARIANCE_UP_THRESHOLD = 64;
const VARIANCE_DOWN_THRESHOLD = 16;
/** Largest d²/2 one call may add, so that one outlier cannot raise an alarm. */
const MAX_DIFF_SQUARE = 16;

/** Two decimals. */
export const round = (v: number): number => Math.round(v * 100) / 100;

/**
 * A mean test's level, `high` only when the window's z-score confirms it: a learned baseline far
 * off (its mean, std or dependence) can carry a CUSUM to the high threshold, not a window to 3.
 */
const confirmedLevel = (level: number, channel: Channel, twoSided: boolean) => {
  if (level != HIGH) return level;
  const z = meanShiftZ(channel);
  return (twoSided ? Math.abs(z) : z) < HIGH_Z ? MEDIUM : level;
};

/** The level of a check in alarm from its z-score; it never drops during one alarm, so it cannot flicker. */
const levelInAlarm = (was: number, z: number) => Math.max(was, z >= HIGH_Z ? HIGH : z >= MEDIUM_Z ? MEDIUM : NONE);

export interface Drift {
  /**
   * Sets the baseline of outputs (`mean`, `std`) and/or latency (`latencyMs`, `latencyStdMs`),
   * learned from `calls` calls (a fleet's: its error is allowed for) or exact (Infinity).
   */
  base(baseline: Baseline, calls?: number): void;
  /** Feeds one successful call; returns the level now: 0 none, 1 medium, 2 high. */
  feed(output: number | undefined, ms: number): number;
  report(): DriftReport;
}

/** @param baselineSize calls a baseline is learned from when none was set (more for a dependent stream) */
export const createDrift = (baselineSize: number): Drift => {
  const outputs = createChannel();
  const latency = createChannel();
  const outputMean = createMeanTest(OUTPUT_SHIFT_SIGMAS, true);
  // latency only gets worse in ways that matter: one-sided
  const latencyMean = createMeanTest(LATENCY_SHIFT_SIGMAS, false);
  let varianceUp = 0;
  let varianceDown = 0;
  /** The previous output in baseline σ (NaN before the first one measured). */
  let previous = NaN;
  let meanLevel = NONE;
  let varianceLevel = NONE;
  let latencyLevel = NONE;

  /** The variance CUSUMs, on the difference of two consecutive outputs in baseline σ. */
  const testVariance = (u: number) => {
    const diffSquare = Math.min(MAX_DIFF_SQUARE, (u - previous) ** 2 / 2 / expectedDiffScale(outputs));
    // widened, as the mean test's references, for the error of a learned baseline variance
    const slack = 1 + outputs.slackSigmas * Math.SQRT2;
    varianceUp = Math.min(2 * VARIANCE_UP_THRESHOLD, Math.max(0, varianceUp + diffSquare - VARIANCE_UP_REFERENCE * slack));
    varianceDown = Math.min(2 * VARIANCE_DOWN_THRESHOLD, Math.max(0, varianceDown + VARIANCE_DOWN_REFERENCE / slack - diffSquare));
  };

  const feedOutput = (output: number) => {
    const u = channelAdd(outputs, output, baselineSize, inMeanAlarm(outputMean));
    // NaN while the baseline is learned
    if (u !== u || !dependenceKnown(outputs)) return;
    if (previous === previous) testVariance(u);
    previous = u;
    meanLevel = confirmedLevel(meanTestAdd(outputMean, outputs, u), outputs, true);
    // the variance's z-score is computed only during an alarm
    const varianceAlarm = varianceUp > VARIANCE_UP_THRESHOLD || varianceDown > VARIANCE_DOWN_THRESHOLD;
    varianceLevel = varianceAlarm && outputs.count > 2 ? levelInAlarm(varianceLevel, Math.abs(varianceRatioZ(outputs))) : NONE;
  };

  return {
    base(baseline, calls = Infinity) {
      if (baseline.mean !== undefined && baseline.std !== undefined) {
        setBaseline(outputs, baseline.mean, baseline.std, calls);
        resetMeanTest(outputMean);
        previous = NaN;
      }
      if (baseline.latencyMs !== undefined && baseline.latencyStdMs !== undefined) {
        // the log-normal with that mean and std
        const logVariance = Math.log(1 + (baseline.latencyStdMs / baseline.latencyMs) ** 2);
        setBaseline(latency, Math.log(baseline.latencyMs) - logVariance / 2, Math.sqrt(logVariance), calls);
        resetMeanTest(latencyMean);
      }
    },
    feed(output, ms) {
      if (output !== undefined) feedOutput(output);
      // latency only gets worse in ways that matter: one-sided
      const u = channelAdd(latency, Math.log(Math.max(ms, 1e-3)), baselineSize, inMeanAlarm(latencyMean));
      if (u === u && dependenceKnown(latency)) latencyLevel = confirmedLevel(meanTestAdd(latencyMean, latency, u), latency, false);
      return Math.max(meanLevel, varianceLevel, latencyLevel);
    },
    report() {
      const report: DriftReport = { severity: SEVERITY[Math.max(meanLevel, varianceLevel, latencyLevel)] };
      if (outputs.count > 2) {
        report.meanShiftZ = round(meanShiftZ(outputs));
        report.varianceRatio = round(varianceRatio(outputs));
        report.autocorrelation = round(outputs.autocorrelation);
      }
      if (latency.count > 1) report.latencyZ = round(meanShiftZ(latency));
      return report;
    },
  };
};
