import { describe, expect, it } from 'vitest';
import { ALPHA, createSketch, sketchAdd, sketchBins, sketchMerge, sketchQuantile } from '../../../src/model/sketch';
import { rng } from './random';

const { rand, normal } = rng(7);
const QS = [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];
const streams: Record<string, () => number> = {
  uniform: () => 0.5 + rand() * 1000,
  lognormal: () => 20 * Math.exp(normal()),
  bimodal: () => (rand() < 0.7 ? 5 : 400) * Math.exp(0.2 * normal()),
};

/** Worst relative error of the sketch's quantiles against the exact ones (same rank rule). */
const worst = (xs: number[]) => {
  const s = createSketch();
  for (const x of xs) sketchAdd(s, x);
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.max(...QS.map((q) => Math.abs(sketchQuantile(s, q) / sorted[Math.floor(q * (sorted.length - 1))] - 1)));
};

describe('the latency sketch', () => {
  for (const [name, draw] of Object.entries(streams))
    it(`answers every quantile of 100,000 ${name} values within 1% relative error`, () => {
      const xs = Array.from({ length: 100_000 }, draw);
      const err = worst(xs);
      expect(err).toBeLessThanOrEqual(ALPHA + 1e-12);
      expect(err).toBeGreaterThan(0); // it is an estimate, not a copy
    });

  it('keeps the bound on the high quantiles when values span more than its window, and stays at 2 KB', () => {
    // 1e-4 ms .. 1e5 ms: 9 decades, more than 512 buckets; the lowest get collapsed
    const xs = Array.from({ length: 50_000 }, () => 10 ** (rand() * 9 - 4));
    const s = createSketch();
    for (const x of xs) sketchAdd(s, x);
    const sorted = xs.sort((a, b) => a - b);
    // the window holds 512 buckets, 4.4 decades: the top 49% of this stream
    for (const q of [0.55, 0.9, 0.99, 0.999, 1]) {
      const exact = sorted[Math.floor(q * (sorted.length - 1))];
      expect(Math.abs(sketchQuantile(s, q) / exact - 1)).toBeLessThanOrEqual(ALPHA + 1e-12);
    }
    expect(s.c.byteLength).toBe(2048);
    expect(JSON.stringify(sketchBins(s)).length).toBeLessThanOrEqual(4096);
  });

  it('merged from two sketches equals one fed both streams', () => {
    const a = createSketch();
    const b = createSketch();
    const both = createSketch();
    for (let i = 0; i < 20_000; i++) {
      const x = streams.lognormal();
      const y = streams.bimodal();
      sketchAdd(a, x);
      sketchAdd(b, y);
      sketchAdd(both, x);
      sketchAdd(both, y);
    }
    sketchMerge(a, b);
    expect(sketchBins(a)).toEqual(sketchBins(both));
    for (const q of QS) expect(sketchQuantile(a, q)).toBe(sketchQuantile(both, q));
    expect([a.n, a.min, a.max]).toEqual([both.n, both.min, both.max]);
    expect(a.sum).toBeCloseTo(both.sum, 6);
  });

  it('counts zero durations and answers an empty sketch with NaN', () => {
    const s = createSketch();
    expect(sketchQuantile(s, 0.5)).toBeNaN();
    for (const x of [0, 0, 0, 10]) sketchAdd(s, x);
    expect(sketchQuantile(s, 0.5)).toBe(0);
    expect(sketchQuantile(s, 1)).toBe(10);
    expect(sketchBins(s)).toMatchObject({ z: 3, c: [1] });
  });
});
