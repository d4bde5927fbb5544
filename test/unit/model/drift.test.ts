import { describe, expect, it } from 'vitest';
import { createDrift } from '../../../src/model/drift';
import { rng } from './random';

const { normal } = rng(11);
const ms = (median = 20) => median * Math.exp(0.3 * normal());

/** A detector that has learned its baseline from 200 calls of N(0,1) outputs and ~20 ms latency. */
const learned = () => {
  const d = createDrift(200);
  for (let i = 0; i < 300; i++) d.feed(normal(), ms());
  return d;
};

/** Calls until the detector flags `level` (or `limit`). */
const until = (d: ReturnType<typeof createDrift>, call: () => [number, number], level = 1, limit = 2000) => {
  let n = 0;
  while (n < limit && d.feed(...call()) < level) n++;
  return n + 1;
};

describe('drift', () => {
  it('says nothing while it learns its baseline', () => {
    const d = createDrift(200);
    for (let i = 0; i < 199; i++) expect(d.feed(100 + normal(), 1000)).toBe(0);
    expect(d.report()).toEqual({ severity: 'none' });
  });

  it('flags a 1σ shift of the output mean, medium then high, with its z-score', () => {
    const d = learned();
    expect(until(d, () => [1 + normal(), ms()])).toBeLessThanOrEqual(100);
    expect(until(d, () => [1 + normal(), ms()], 2)).toBeLessThanOrEqual(150);
    const r = d.report();
    expect(r.severity).toBe('high');
    expect(r.meanShiftZ).toBeGreaterThanOrEqual(3);
    expect(Math.abs(r.latencyZ!)).toBeLessThan(3);
  });

  it('flags a shift down as well as up', () => {
    const d = learned();
    expect(until(d, () => [-1 + normal(), ms()], 2)).toBeLessThanOrEqual(150);
    expect(d.report().meanShiftZ).toBeLessThanOrEqual(-3);
  });

  it('flags a doubled standard deviation through the variance ratio', () => {
    const d = learned();
    expect(until(d, () => [2 * normal(), ms()])).toBeLessThanOrEqual(300);
    for (let i = 0; i < 100; i++) d.feed(2 * normal(), ms());
    expect(d.report().varianceRatio).toBeGreaterThan(2.5);
  });

  it('flags outputs that collapse to a near constant (variance down)', () => {
    const d = learned();
    expect(until(d, () => [0.1 * normal(), ms()])).toBeLessThanOrEqual(300);
    expect(d.report().varianceRatio).toBeLessThan(0.5);
  });

  it('flags a tripled latency', () => {
    const d = learned();
    expect(until(d, () => [normal(), ms(60)])).toBeLessThanOrEqual(50);
    expect(until(d, () => [normal(), ms(60)], 2)).toBeLessThanOrEqual(50);
    // the window's z-score says how far once the window holds the change
    for (let i = 0; i < 50; i++) d.feed(normal(), ms(60));
    expect(d.report().latencyZ).toBeGreaterThan(3);
  });

  it('raises no alarm on 100,000 calls of an unshifted stream', () => {
    const d = learned();
    let worst = 0;
    for (let i = 0; i < 100_000; i++) worst = Math.max(worst, d.feed(normal(), ms()));
    expect(worst).toBe(0);
  });

  it('ignores one wild outlier', () => {
    const d = learned();
    expect(d.feed(1e6, 1e6)).toBe(0);
    for (let i = 0; i < 100; i++) expect(d.feed(normal(), ms())).toBe(0);
  });

  it('comes back to none when the stream comes back to its baseline', () => {
    const d = learned();
    until(d, () => [1 + normal(), ms()], 2);
    let n = 0;
    while (d.feed(normal(), ms()) > 0 && n < 500) n++;
    expect(n).toBeLessThan(500);
    expect(d.report().severity).toBe('none');
  });

  it('measures against a baseline it was given, in ms for latency', () => {
    const d = createDrift(200);
    d.base({ mean: 10, std: 2, latencyMs: 20, latencyStdMs: 6 });
    // no learning phase: outputs around 14 (2σ above) are flagged at once
    expect(until(d, () => [14 + 2 * normal(), 20 + 6 * normal() * 0.5])).toBeLessThanOrEqual(40);
    expect(d.report().meanShiftZ).toBeGreaterThan(2);
    expect(Math.abs(d.report().latencyZ!)).toBeLessThan(3);
  });
});

describe('drift on autocorrelated outputs (AR(1), ρ 0.9, as consecutive video frames)', () => {
  const { normal: noise } = rng(7);
  /** x[t] = 0.9 x[t-1] + √(1 - 0.81) ε[t]: N(0,1) margins, lag-1 autocorrelation 0.9. */
  const frames = () => {
    let x = noise();
    return () => (x = 0.9 * x + Math.sqrt(1 - 0.81) * noise());
  };

  it('learns the dependence with its baseline and raises no drift on 100,000 stationary calls', () => {
    const next = frames();
    const d = createDrift(200);
    let worst = 0;
    for (let i = 0; i < 102_000; i++) worst = Math.max(worst, d.feed(next(), ms()));
    expect(worst).toBe(0);
    expect(d.report().autocorrelation).toBeGreaterThan(0.85);
  });

  it('flags a 1σ shift of such a stream within 600 calls in at least 15 of 20 streams (the window z-score took ~1,000)', () => {
    let flagged = 0;
    for (let run = 0; run < 20; run++) {
      const next = frames();
      const d = createDrift(200);
      for (let i = 0; i < 2500; i++) d.feed(next(), ms());
      if (until(d, () => [1 + next(), ms()], 1, 600) <= 600) flagged++;
    }
    expect(flagged).toBeGreaterThanOrEqual(15);
  });

  it('raises no high alarm and at most half a medium one per 100,000 calls on 10 stationary streams', () => {
    let alarms = 0;
    let highs = 0;
    for (let run = 0; run < 10; run++) {
      const next = frames();
      const d = createDrift(200);
      for (let i = 0; i < 2500; i++) d.feed(next(), ms());
      let was = 0;
      for (let i = 0; i < 100_000; i++) {
        const level = d.feed(next(), ms());
        if (level >= 1 && was < 1) alarms++;
        if (level == 2 && was < 2) highs++;
        was = level;
      }
    }
    expect(highs).toBe(0);
    expect(alarms).toBeLessThanOrEqual(5);
  });

  it('keeps a shift the learned baseline\'s error could explain at medium: high means the stream moved', () => {
    // 2,000 calls of VIF 19 hold ~105 independent ones, a standard error of 0.1σ: a stream 0.5σ
    // off its baseline is as far as a baseline 3 standard errors off and a 0.2σ shift
    const next = frames();
    const d = createDrift(200);
    for (let i = 0; i < 2500; i++) d.feed(next(), ms());
    let worst = 0;
    for (let i = 0; i < 100_000; i++) worst = Math.max(worst, d.feed(0.5 + next(), ms()));
    expect(worst).toBeLessThan(2);
  });

  it('still flags a 3σ shift of such a stream as high', () => {
    const next = frames();
    const d = createDrift(200);
    for (let i = 0; i < 2500; i++) d.feed(next(), ms());
    expect(until(d, () => [3 + next(), ms()], 2, 1000)).toBeLessThan(1000);
    expect(d.report().meanShiftZ).toBeGreaterThanOrEqual(3);
  });

  it('raises no drift against a given baseline of its true mean and std: the dependence is measured on the window', () => {
    const next = frames();
    const d = createDrift(200);
    d.base({ mean: 0, std: 1 });
    let worst = 0;
    for (let i = 0; i < 20_000; i++) worst = Math.max(worst, d.feed(next(), ms()));
    expect(worst).toBe(0);
    expect(d.report().autocorrelation).toBeGreaterThan(0.8);
  });
});
