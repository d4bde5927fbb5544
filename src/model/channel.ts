// One stream a model's drift is checked on (its outputs, or the log of its latency), against
// a baseline. Every value updates, in O(1): the window of the last WINDOW_CALLS values in
// baseline standard deviations and an estimate of how much consecutive values depend on each
// other, which the mean test (./meanTest) whitens the values with.
//
// Outputs of real pages are autocorrelated (one user classifies similar inputs in a row; a
// video model sees consecutive frames), and a mean of n correlated values varies as if it had
// n / VIF independent ones, VIF = (1 + ρ) / (1 − ρ) for lag-1 autocorrelation ρ (an AR(1)
// reading). Every test below is scaled by that inflation, so a stationary correlated stream
// raises no more alarms than an independent one. ρ comes from consecutive differences (the
// von Neumann ratio): E[(x[t] − x[t−1])²] = 2σ²(1 − ρ), which a mean shift leaves unchanged.
import { createWelford, welfordAdd, welfordStd, type Welford } from './welford';

/** Calls in the window the z-scores and the recent dependence are computed on. */
export const WINDOW_CALLS = 100;
/** Highest lag-1 autocorrelation believed (VIF 39): nearer 1 a stream is a slow walk, not noise. */
const MAX_AUTOCORRELATION = 0.95;
/** Calls between two readings of the window's dependence. */
const DEPENDENCE_EVERY_CALLS = 10;
/** A dependent stream learns its baseline from up to this many times `baselineSize` calls. */
const MAX_LEARNING_FACTOR = 10;

export interface Channel {
  /** Baseline mean and standard deviation, in the stream's units. */
  mean: number;
  std: number;
  /** Calls the baseline was learned from: 0 while learning, Infinity when it was given. */
  baselineCalls: number;
  /** Lag-1 autocorrelation of the baseline's calls (0 when given: then only the window's counts). */
  baselineAutocorrelation: number;
  /** Half the mean squared consecutive difference of the baseline's calls, in baseline variances (1 − ρ; NaN when given). */
  baselineDiffScale: number;
  /** Room left in the tests' references for the error of a learned baseline, in σ (two standard errors of its mean). */
  slackSigmas: number;
  learning: Welford;
  /** Sum of squared consecutive differences of the values learned so far, and the last of them. */
  learningDiffSquares: number;
  /** Calls the baseline is learned from, fixed after `baselineSize` of them (0 until then). */
  learningCalls: number;
  learningLast: number;
  /** Ring of the last WINDOW_CALLS standardized values; `next` is the oldest slot, `latest` the last value. */
  window: Float64Array;
  next: number;
  latest: number;
  count: number;
  sum: number;
  sumSquares: number;
  /** Sum of squared differences of consecutive values in the window. */
  sumDiffSquares: number;
  /** Dependence used by the tests now: the baseline's or the window's, whichever is higher. */
  autocorrelation: number;
}

/** The variance of a mean of correlated values over that of as many independent ones (AR(1)). */
export const varianceInflation = (autocorrelation: number): number => (1 + autocorrelation) / (1 - autocorrelation);

const believable = (autocorrelation: number) => Math.min(MAX_AUTOCORRELATION, Math.max(0, autocorrelation));

/** Sets the baseline of `channel` and empties its window and sums; `baselineCalls` 0 starts learning. */
export const setBaseline = (channel: Channel, mean: number, std: number, baselineCalls: number, autocorrelation = 0, diffScale = NaN): void => {
  channel.mean = mean;
  // a constant stream still gets a scale, so that any change of it stands out
  channel.std = Math.max(std, 1e-6 * Math.max(1, Math.abs(mean)));
  channel.baselineCalls = baselineCalls;
  channel.baselineAutocorrelation = believable(autocorrelation);
  channel.baselineDiffScale = diffScale;
  // a learned baseline is itself off by ~√(VIF / n) σ in mean: the tests' references are
  // widened for it so that a slightly wrong baseline does not drift their sums up
  channel.slackSigmas = 2 * Math.sqrt(varianceInflation(channel.baselineAutocorrelation) / baselineCalls);
  channel.autocorrelation = channel.baselineAutocorrelation;
  channel.next = 0;
  channel.count = 0;
  channel.sum = 0;
  channel.sumSquares = 0;
  channel.sumDiffSquares = 0;
};

export const createChannel = (): Channel => {
  const channel = {
    learning: createWelford(),
    learningDiffSquares: 0,
    learningLast: 0,
    learningCalls: 0,
    window: new Float64Array(WINDOW_CALLS),
  } as Channel;
  setBaseline(channel, 0, 0, 0);
  return channel;
};

/** Lag-1 autocorrelation of `calls` values from their std and half their mean squared consecutive difference. */
const autocorrelationOf = (std: number, diffSquares: number, calls: number) => (std ? 1 - diffSquares / (calls - 1) / 2 / std ** 2 : 0);

/**
 * Learns one value. After `baselineSize` calls the dependence found so far fixes how many
 * calls the baseline is learned from: a dependent stream tells less per call, so it learns
 * until the baseline holds about as much as `baselineSize` independent calls would (within
 * MAX_LEARNING_FACTOR of them). The count is fixed once, not re-decided on every call, which
 * would stop on the first low estimate of the dependence.
 */
const learn = (channel: Channel, x: number, baselineSize: number) => {
  const learning = channel.learning;
  if (learning.n) channel.learningDiffSquares += (x - channel.learningLast) ** 2;
  channel.learningLast = x;
  welfordAdd(learning, x);
  if (learning.n == baselineSize) {
    const early = believable(autocorrelationOf(welfordStd(learning), channel.learningDiffSquares, learning.n));
    channel.learningCalls = Math.round(Math.min(MAX_LEARNING_FACTOR, varianceInflation(early)) * baselineSize);
  }
  if (learning.n < baselineSize || learning.n < channel.learningCalls) return;
  const std = welfordStd(learning);
  const estimate = autocorrelationOf(std, channel.learningDiffSquares, learning.n);
  // the tests are scaled by the estimate plus one standard error: too little dependence
  // assumed raises false alarms, too much only slows detection a little
  const autocorrelation = estimate + Math.sqrt(Math.max(0, 1 - estimate ** 2) / learning.n);
  setBaseline(channel, learning.mean, std, learning.n, autocorrelation, 1 - estimate);
};

/** Adds `u` (standardized) to the window and its running sums. */
const remember = (channel: Channel, u: number) => {
  const window = channel.window;
  const oldest = channel.next;
  const following = oldest + 1 == WINDOW_CALLS ? 0 : oldest + 1;
  if (channel.count) channel.sumDiffSquares += (u - channel.latest) ** 2;
  if (channel.count == WINDOW_CALLS) {
    const old = window[oldest];
    channel.sum -= old;
    channel.sumSquares -= old * old;
    channel.sumDiffSquares -= (window[following] - old) ** 2;
  } else channel.count++;
  window[oldest] = u;
  channel.latest = u;
  channel.sum += u;
  channel.sumSquares += u * u;
  channel.next = following;
  // resum once per lap so rounding cannot pile up
  if (following == 0 && channel.count == WINDOW_CALLS) resum(channel);
};

const resum = (channel: Channel) => {
  const window = channel.window;
  channel.sum = 0;
  channel.sumSquares = 0;
  channel.sumDiffSquares = 0;
  for (let i = 0; i < WINDOW_CALLS; i++) {
    channel.sum += window[i];
    channel.sumSquares += window[i] ** 2;
    if (i) channel.sumDiffSquares += (window[i] - window[i - 1]) ** 2;
  }
};

/**
 * What half a squared consecutive difference should be, in baseline variances: the learned
 * baseline's own; for a given baseline (a mean and std, no dependence), 1 − ρ of the stream now.
 */
export const expectedDiffScale = (channel: Channel): number =>
  channel.baselineDiffScale === channel.baselineDiffScale ? channel.baselineDiffScale : 1 - channel.autocorrelation;

/** Half the mean squared consecutive difference in the window, in baseline variances. */
export const windowDiffScale = (channel: Channel): number => channel.sumDiffSquares / (channel.count - 1) / 2;

/**
 * Dependence in the window, measured against the baseline's variance so that a mean shift
 * does not change it; the baseline's own estimate holds when it is higher.
 */
const updateDependence = (channel: Channel) => {
  channel.autocorrelation = believable(Math.max(channel.baselineAutocorrelation, 1 - windowDiffScale(channel)));
};

/** Whether the tests may run: a given baseline says nothing of dependence, so they wait for the window's first reading. */
export const dependenceKnown = (channel: Channel): boolean =>
  channel.baselineDiffScale === channel.baselineDiffScale || channel.count >= 2 * DEPENDENCE_EVERY_CALLS;

/**
 * Feeds one value: learns it while there is no baseline (returns NaN), else returns it in
 * baseline standard deviations and updates the window and the dependence, which is held
 * during an alarm (`inAlarm`), so that the change itself cannot move the tests and clear it.
 */
export const channelAdd = (channel: Channel, x: number, baselineSize: number, inAlarm: boolean): number => {
  if (!channel.baselineCalls) {
    learn(channel, x, baselineSize);
    return NaN;
  }
  const u = (x - channel.mean) / channel.std;
  remember(channel, u);
  // the window's dependence moves slowly: it is read again every DEPENDENCE_EVERY_CALLS calls
  if (channel.next % DEPENDENCE_EVERY_CALLS == 0 && channel.count > DEPENDENCE_EVERY_CALLS && !inAlarm) updateDependence(channel);
  return u;
};

/** z-score of the window's mean against the baseline (two-sample when the baseline was learned). */
export const meanShiftZ = (channel: Channel): number => {
  const inflation = varianceInflation(channel.autocorrelation);
  return channel.sum / channel.count / Math.sqrt(inflation / channel.count + inflation / channel.baselineCalls);
};

/** The window's variance over the baseline's. */
export const varianceRatio = (channel: Channel): number =>
  (channel.sumSquares - (channel.sum * channel.sum) / channel.count) / (channel.count - 1);

/** z-score of the variance ratio; a sample variance of AR(1) values varies (1 + ρ²) / (1 − ρ²) times as much. */
export const varianceRatioZ = (channel: Channel): number => {
  const rho2 = channel.autocorrelation ** 2;
  const inflation = (1 + rho2) / (1 - rho2);
  return (varianceRatio(channel) - 1) / Math.sqrt((2 * inflation) / (channel.count - 1) + (2 * inflation) / (channel.baselineCalls - 1));
};
