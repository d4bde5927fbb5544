// Drift of a model's outputs and latency against a baseline, checked on every call in O(1).
// Each check pairs a sequential test (CUSUM, Page 1954), which decides *when* something
// changed with few false alarms, with the z-score of the last W calls against the
// baseline, which says *how far*: a check is `medium` while its CUSUM is over its threshold
// and |z| >= 2, `high` when |z| >= 3. Thresholds are calibrated in bench/model.mjs.
import type { Baseline, DriftReport, DriftSeverity } from '../types';
import { createWelford, welfordAdd, welfordStd, type Welford } from './welford';

/** Calls in the window the z-scores are computed on. */
export const W = 100;
/** CUSUM reference: half the 1σ shift it is tuned for (widened for a learned baseline, see `set`). */
const K = 0.5;
/** CUSUM thresholds: mean (of outputs and of log-latency), variance up, variance down. */
const H = 14;
const HU = 64;
const HD = 16;
/** Standardized values are clipped so that one outlier cannot raise an alarm. */
const CLIP = 4;
// variance is tested on consecutive differences, d²/2σ² (χ²₁, blind to mean shifts); the
// references are the likelihood-ratio optima for a doubled and a halved standard deviation
const KU = (8 / 3) * Math.LN2;
const KD = Math.LN2 / 1.5;

export const SEVERITY: DriftSeverity[] = ['none', 'medium', 'high'];

/** Two decimals. */
export const round = (v: number) => Math.round(v * 100) / 100;

interface Channel {
  /** Baseline mean and std; `nb` values it was learned from (Infinity when given), 0 while learning. */
  m: number;
  s: number;
  nb: number;
  /** Slack for the error of a learned baseline, in its standard errors (0 when given). */
  e: number;
  w: Welford;
  /** Ring of the last W standardized values, with their running sum and sum of squares. */
  r: Float64Array;
  i: number;
  n: number;
  sum: number;
  sq: number;
  up: number;
  dn: number;
}

/** Sets the baseline of `c` from `nb` values (0: none yet, learning) and empties its window and sums. */
const set = (c: Pick<Channel, 'w' | 'r'>, m: number, s: number, nb: number): Channel =>
  Object.assign(c, {
    m,
    // a constant stream still gets a scale, so that any change of it stands out
    s: Math.max(s, 1e-6 * Math.max(1, Math.abs(m))),
    nb,
    // a baseline learned from nb calls is itself off by ~1/√nb σ in mean and ~√(2/nb) in
    // variance: the CUSUM references are widened by 2 such errors so that a slightly wrong
    // baseline does not drift the sums up (false alarms)
    e: 2 / Math.sqrt(nb),
    i: 0,
    n: 0,
    sum: 0,
    sq: 0,
    up: 0,
    dn: 0,
  });

const channel = () => set({ w: createWelford(), r: new Float64Array(W) }, 0, 0, 0);

const clip = (u: number) => (u > CLIP ? CLIP : u < -CLIP ? -CLIP : u);

/** z-score of the window mean against the baseline (two-sample when the baseline was learned). */
const zMean = (c: Channel) => c.sum / c.n / Math.sqrt(1 / c.n + 1 / c.nb);
const ratio = (c: Channel) => (c.sq - (c.sum * c.sum) / c.n) / (c.n - 1);
const zRatio = (c: Channel) => (ratio(c) - 1) / Math.sqrt(2 / (c.n - 1) + 2 / (c.nb - 1));

/** 1 or 2 from a z-score, during an alarm of the sequential test; it never drops during one alarm, so it cannot flicker. */
const level = (was: number, z: number) => Math.max(was, z >= 3 ? 2 : z >= 2 ? 1 : 0);

export interface Drift {
  /** Sets the baseline of outputs (`mean`, `std`) and/or latency (`latencyMs`, `latencyStdMs`). */
  base(b: Baseline): void;
  /** Feeds one successful call; returns the severity now: 0 none, 1 medium, 2 high. */
  feed(output: number | undefined, ms: number): number;
  report(): DriftReport;
}

/** @param learn calls a baseline is learned from when none was set */
export const createDrift = (learn: number): Drift => {
  const o = channel();
  const l = channel();
  // output variance CUSUMs and the previous standardized output
  let vu = 0;
  let vd = 0;
  let prev = NaN;
  // current level of each check
  let lo = 0;
  let lv = 0;
  let ll = 0;

  /** Standardized value of `x`, or NaN while the baseline is being learned. */
  const push = (c: Channel, x: number): number => {
    if (!c.nb) {
      welfordAdd(c.w, x);
      if (c.w.n >= learn) set(c, c.w.mean, welfordStd(c.w), learn);
      return NaN;
    }
    const u = (x - c.m) / c.s;
    const old = c.r[c.i];
    c.r[c.i] = u;
    if (c.n < W) c.n++;
    else (c.sum -= old), (c.sq -= old * old);
    c.sum += u;
    c.sq += u * u;
    // resum now and then so rounding cannot pile up
    if (++c.i == W) {
      c.i = c.sum = c.sq = 0;
      for (const v of c.r) (c.sum += v), (c.sq += v * v);
    }
    const v = clip(u);
    c.up = Math.min(2 * H, Math.max(0, c.up + v - K - c.e));
    c.dn = Math.min(2 * H, Math.max(0, c.dn - v - K - c.e));
    return u;
  };

  return {
    base(b) {
      if (b.mean !== undefined && b.std !== undefined) set(o, b.mean, b.std, Infinity);
      if (b.latencyMs !== undefined && b.latencyStdMs !== undefined) {
        // the log-normal with that mean and std
        const s2 = Math.log(1 + (b.latencyStdMs / b.latencyMs) ** 2);
        set(l, Math.log(b.latencyMs) - s2 / 2, Math.sqrt(s2), Infinity);
      }
    },
    feed(output, ms) {
      if (output !== undefined) {
        const u = push(o, output);
        if (u === u) {
          if (prev === prev) {
            const y = Math.min(16, (u - prev) ** 2 / 2);
            const e = 1 + o.e * Math.SQRT2;
            vu = Math.min(2 * HU, Math.max(0, vu + y - KU * e));
            vd = Math.min(2 * HD, Math.max(0, vd + KD / e - y));
          }
          prev = u;
          // z-scores are computed only during an alarm
          lo = o.up > H || o.dn > H ? level(lo, Math.abs(zMean(o))) : 0;
          lv = (vu > HU || vd > HD) && o.n > 2 ? level(lv, Math.abs(zRatio(o))) : 0;
        }
      }
      // latency only gets worse in ways that matter: one-sided
      push(l, Math.log(Math.max(ms, 1e-3)));
      ll = l.up > H ? level(ll, zMean(l)) : 0;
      return Math.max(lo, lv, ll);
    },
    report: () => ({
      severity: SEVERITY[Math.max(lo, lv, ll)],
      ...(o.n > 2 && { meanShiftZ: round(zMean(o)), varianceRatio: round(ratio(o)) }),
      ...(l.n > 1 && { latencyZ: round(zMean(l)) }),
    }),
  };
};
