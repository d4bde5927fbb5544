// The mean test of one channel (./channel): a two-sided CUSUM (Page 1954) on the channel's
// values whitened for their dependence, with two thresholds, medium and high.
//
// A mean shift of δ baseline σ in an AR(1) stream of lag-1 autocorrelation ρ moves its
// innovations e = (u[t] − ρ u[t−1]) / √(1 − ρ²), N(0, 1) without a shift, by δ / √VIF,
// VIF = (1 + ρ) / (1 − ρ): a call of a dependent stream tells VIF times less than an
// independent one (Kullback–Leibler information δ² / (2 VIF) per call). The CUSUM on the
// innovations is the optimal detector of such a shift (Lorden 1971), and with a threshold for a
// given in-control run length its delay is about ln(run length) · 2 VIF / δ² calls: at ρ 0.9,
// VIF 19, a 1σ shift takes some 300 calls whatever the test, a limit the window z-score of 100
// calls (5 independent calls' worth) was far from. Each threshold is the one Siegmund's
// approximation gives for a target run length between false alarms, so it follows VIF; the
// medium target is set above the 10^5 calls the bench allows one alarm in, for the error of a
// learned baseline (mean, std and ρ) that the approximation does not know of.
import { varianceInflation, type Channel } from './channel';

/** The mean shift the test of outputs is tuned for, in baseline σ. */
export const OUTPUT_SHIFT_SIGMAS = 1;
/** The rise of log-latency its test is tuned for, in baseline σ: latency matters when it grows much. */
export const LATENCY_SHIFT_SIGMAS = 2;
/** Calls between false alarms of one side at medium, and at high, on a stream as its baseline. */
const MEDIUM_RUN_CALLS = 2e6;
const HIGH_RUN_CALLS = 1e12;
/** Siegmund's correction of a CUSUM threshold for the overshoot of normal steps, in σ. */
const OVERSHOOT_SIGMAS = 1.166;
/** Fraction of the medium threshold under which an alarm ends. */
const ALARM_END_FRACTION = 0.5;
/** Standard errors of a learned baseline's mean the medium reference is widened by. */
const SLACK_STANDARD_ERRORS = 0.5;
/**
 * Standard errors of a learned baseline's mean the high reference is widened by. A baseline off
 * by a few of them (one in 370 is off by 3) drives the sums up on a stream that never moved, at
 * a rate no threshold outlasts for long: high allows for 3, so that it says the stream moved,
 * not that its baseline was unlucky.
 */
const HIGH_SLACK_STANDARD_ERRORS = 3;
/** Standardized values are clipped so that one outlier cannot raise an alarm. */
const CLIP_SIGMAS = 4;

/** Drift levels: an index into SEVERITY (./drift). */
export const NONE = 0;
export const MEDIUM = 1;
export const HIGH = 2;

export interface MeanTest {
  /** The shift it is tuned for, in baseline σ, and whether it tests a fall too (else a rise only). */
  shiftSigmas: number;
  twoSided: boolean;
  /** The CUSUMs of innovations up and down, in innovation σ: medium's, and high's (wider reference). */
  up: number;
  down: number;
  highUp: number;
  highDown: number;
  /** The previous value (clipped, in baseline σ); NaN at the start of a baseline. */
  previous: number;
  /** The dependence and slack the constants below were derived for. */
  autocorrelation: number;
  slackSigmas: number;
  /** 1 / √(1 − ρ²): innovation σ per baseline σ. */
  innovationScale: number;
  /** References subtracted per call (medium's, high's) and the two thresholds, in innovation σ. */
  reference: number;
  highReference: number;
  mediumThreshold: number;
  highThreshold: number;
  /** The level now; it never drops during one alarm, so it cannot flicker. */
  level: number;
}

export const createMeanTest = (shiftSigmas: number, twoSided: boolean): MeanTest => ({
  shiftSigmas,
  twoSided,
  up: 0,
  down: 0,
  highUp: 0,
  highDown: 0,
  previous: NaN,
  autocorrelation: NaN,
  slackSigmas: NaN,
  innovationScale: 1,
  reference: 0,
  highReference: 0,
  mediumThreshold: Infinity,
  highThreshold: Infinity,
  level: NONE,
});

/** Starts over: a new baseline, or a given one. */
export const resetMeanTest = (test: MeanTest): void => {
  test.up = 0;
  test.down = 0;
  test.highUp = 0;
  test.highDown = 0;
  test.previous = NaN;
  test.level = NONE;
};

/** Siegmund's threshold for a one-sided CUSUM of N(0, 1) steps with reference k and the given run length. */
const thresholdFor = (reference: number, runCalls: number) =>
  Math.log(runCalls * 2 * reference ** 2) / (2 * reference) - OVERSHOOT_SIGMAS;

/**
 * Derives reference and thresholds for the dependence `rho` (it changes every few calls at
 * most). A learned baseline's mean is off by about one standard error (`slackSigmas` / 2): the
 * reference is widened by part of it so that a slightly wrong baseline drifts the sums up less.
 */
const tune = (test: MeanTest, channel: Channel, rho: number) => {
  const perCall = 1 / Math.sqrt(varianceInflation(rho));
  test.autocorrelation = rho;
  test.slackSigmas = channel.slackSigmas;
  test.innovationScale = 1 / Math.sqrt(1 - rho * rho);
  const standardError = channel.slackSigmas / 2;
  test.reference = (test.shiftSigmas / 2 + SLACK_STANDARD_ERRORS * standardError) * perCall;
  test.highReference = (test.shiftSigmas / 2 + HIGH_SLACK_STANDARD_ERRORS * standardError) * perCall;
  test.mediumThreshold = thresholdFor(test.reference, MEDIUM_RUN_CALLS);
  test.highThreshold = thresholdFor(test.highReference, HIGH_RUN_CALLS);
};

/** Whether every sum is at zero: nothing built under the dependence now in use. */
const atRest = (test: MeanTest) => !test.up && !test.down && !test.highUp && !test.highDown;

/** True while an alarm holds. */
export const inMeanAlarm = (test: MeanTest): boolean => test.level != NONE;

/** Feeds one value `u` (in baseline σ) of `channel`; returns the level. */
export const meanTestAdd = (test: MeanTest, channel: Channel, u: number): number => {
  // a learned baseline's dependence is measured on thousands of calls: it holds; a given
  // baseline has none, and the window's is taken, a lower one only while both sums are at
  // rest, so that sums built under the higher one cannot cross the lower threshold for it alone
  const rho = channel.baselineDiffScale === channel.baselineDiffScale ? channel.baselineAutocorrelation : channel.autocorrelation;
  const retune = channel.slackSigmas !== test.slackSigmas || rho > test.autocorrelation || (rho < test.autocorrelation && atRest(test));
  if (retune || test.autocorrelation !== test.autocorrelation) tune(test, channel, rho);
  const clipped = Math.min(CLIP_SIGMAS, Math.max(-CLIP_SIGMAS, u));
  const previous = test.previous;
  test.previous = clipped;
  // the first value has no predecessor: it is its own innovation
  const innovation = previous === previous ? (clipped - test.autocorrelation * previous) * test.innovationScale : clipped;
  const limit = 1.5 * test.highThreshold;
  test.up = Math.min(limit, Math.max(0, test.up + innovation - test.reference));
  test.highUp = Math.min(limit, Math.max(0, test.highUp + innovation - test.highReference));
  if (test.twoSided) {
    test.down = Math.min(limit, Math.max(0, test.down - innovation - test.reference));
    test.highDown = Math.min(limit, Math.max(0, test.highDown - innovation - test.highReference));
  }
  const sum = Math.max(test.up, test.down);
  const highSum = Math.max(test.highUp, test.highDown);
  const now = highSum > test.highThreshold ? HIGH : sum > test.mediumThreshold ? MEDIUM : NONE;
  // an alarm holds until its sum is back under half the medium threshold, so that a sum
  // wavering at the threshold is one alarm, not many
  const holds = test.level != NONE && sum > test.mediumThreshold * ALARM_END_FRACTION;
  test.level = Math.max(now, holds ? test.level : NONE);
  return test.level;
};
