import { describe, expect, it } from 'vitest';
import { bucketIndex, createSketch, MAX_BUCKETS, MAX_SCALE, WIDE_BUCKETS, sketchAdd, sketchBuckets, sketchMerge, sketchQuantile } from '../../../src/model/sketch';
import { bucketsAt, sdkHistogram } from '../otlp/sdkHistogram';
import { rng } from './random';

const { rand, normal } = rng(7);
const QS = [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];
/** (base − 1) / (base + 1) at scale 6. */
const BOUND = (2 ** (1 / 64) - 1) / (2 ** (1 / 64) + 1);
const streams: Record<string, () => number> = {
  'uniform over ×2,000': () => 0.5 + rand() * 1000,
  // the smallest of 100,000 draws is near 0.01 ms: a range of ×100,000, over 16 octaves
  'uniform 0..1000 ms': () => rand() * 1000,
  lognormal: () => 20 * Math.exp(normal()),
  bimodal: () => (rand() < 0.7 ? 5 : 400) * Math.exp(0.2 * normal()),
  'log-uniform over ×1,000': () => 10 ** (rand() * 3),
};

const fed = (xs: number[], unitMs = 1) => {
  const s = createSketch(unitMs);
  for (const x of xs) sketchAdd(s, x);
  return s;
};

/** Worst relative error of the sketch's quantiles against the exact ones (same rank rule). */
const worst = (xs: number[]) => {
  const s = fed(xs);
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.max(...QS.map((q) => Math.abs(sketchQuantile(s, q) / sorted[Math.floor(q * (sorted.length - 1))] - 1)));
};

const asMap = (b: { offset: number; counts: number[] }) => bucketsAt(b.offset, b.counts, 0, 0);

describe('the latency sketch (OpenTelemetry base-2 exponential buckets)', () => {
  for (const [name, draw] of Object.entries(streams))
    it(`answers every quantile of 100,000 ${name} values within 0.55% (scale 6), in 4 KB`, () => {
      const xs = Array.from({ length: 100_000 }, draw);
      const err = worst(xs);
      expect(err).toBeLessThanOrEqual(BOUND + 1e-12);
      expect(err).toBeGreaterThan(0); // it is an estimate, not a copy
      const s = fed(xs);
      expect(s.scale).toBe(MAX_SCALE);
      expect(s.counts.byteLength).toBe(4096);
      expect(JSON.stringify(sketchBuckets(s)).length).toBeLessThanOrEqual(4096);
    });

  it('maps powers of two and their neighbours as the specification says: (base^i, base^(i+1)]', () => {
    expect(bucketIndex(1, 6)).toBe(-1);
    expect(bucketIndex(2, 6)).toBe(63);
    expect(bucketIndex(2.000001, 6)).toBe(64);
    expect(bucketIndex(1024, 6)).toBe(639);
    expect(bucketIndex(0.5, 6)).toBe(-65);
    expect(bucketIndex(2, 0)).toBe(0);
    expect(bucketIndex(3, 0)).toBe(1);
    expect(bucketIndex(4, -1)).toBe(0);
    expect(bucketIndex(5, -1)).toBe(1);
    for (const v of [0.37, 1.5, 7, 99.9, 12_345])
      for (const scale of [6, 3, 0, -2]) {
        const index = bucketIndex(v, scale);
        const base = 2 ** 2 ** -scale;
        expect(v).toBeGreaterThan(base ** index);
        expect(v).toBeLessThanOrEqual(base ** (index + 1) * (1 + 1e-12));
      }
  });

  it('has the same buckets as @opentelemetry/sdk-metrics at the same scale', async () => {
    const xs = Array.from({ length: 20_000 }, streams['log-uniform over ×1,000']);
    // exact powers of two and bucket edges too
    xs.push(1, 2, 4, 64, 256, 2 ** (1 / 64), 2 ** (65 / 64));
    const ours = sketchBuckets(fed(xs));
    const sdk = await sdkHistogram(xs, MAX_BUCKETS);
    expect(sdk.scale).toBeGreaterThanOrEqual(ours.scale);
    expect(bucketsAt(sdk.positive.offset, sdk.positive.bucketCounts, sdk.scale, ours.scale)).toEqual(asMap(ours));
    expect([sdk.count, sdk.zeroCount]).toEqual([xs.length, ours.zeroCount]);
  });

  it('downscales like the SDK when the range does not fit: the same scale and buckets', async () => {
    // 1e-4 .. 1e6: 33 octaves, more than 2048 buckets at scale 6 (32 octaves)
    const xs = Array.from({ length: 20_000 }, () => 10 ** (rand() * 10 - 4));
    xs.push(0, 0);
    const s = fed(xs);
    const ours = sketchBuckets(s);
    expect(ours.scale).toBe(5);
    expect(ours.counts.length).toBeLessThanOrEqual(MAX_BUCKETS);
    const sdk = await sdkHistogram(xs, MAX_BUCKETS);
    expect(sdk.scale).toBe(ours.scale);
    expect(sdk.positive.offset).toBe(ours.offset);
    expect(sdk.positive.bucketCounts).toEqual(ours.counts);
    expect(sdk.zeroCount).toBe(2);
    // the bound of scale 5 holds on every quantile
    const base = 2 ** (1 / 32);
    const sorted = [...xs].sort((a, b) => a - b);
    for (const q of QS.slice(1)) expect(Math.abs(sketchQuantile(s, q) / sorted[Math.floor(q * (sorted.length - 1))] - 1)).toBeLessThanOrEqual((base - 1) / (base + 1) + 1e-12);
  });

  it('widens to 32-bit counters when a bucket outgrows 16 bits: exact counts, the SDK\'s buckets, still 4 KB', async () => {
    // 70,000 calls of one latency, and a spread over 20 octaves that 1,024 buckets hold at scale 5 only
    const xs = Array.from({ length: 70_000 }, () => 12.5);
    for (let i = 0; i < 5_000; i++) xs.push(2 ** (rand() * 20 - 5));
    const s = fed(xs);
    expect(s.counts).toBeInstanceOf(Uint32Array);
    expect(s.counts.byteLength).toBe(4096);
    const ours = sketchBuckets(s);
    expect(ours.scale).toBe(5);
    expect(ours.counts.length).toBeLessThanOrEqual(WIDE_BUCKETS);
    expect(Math.max(...ours.counts)).toBeGreaterThanOrEqual(70_000);
    expect(ours.counts.reduce((a, b) => a + b, 0)).toBe(xs.length);
    const sdk = await sdkHistogram(xs, MAX_BUCKETS);
    expect(bucketsAt(sdk.positive.offset, sdk.positive.bucketCounts, sdk.scale, ours.scale)).toEqual(asMap(ours));
  });

  it('merged from two sketches equals one fed both streams, also across scales', () => {
    const a = createSketch();
    const b = createSketch();
    const both = createSketch();
    for (let i = 0; i < 20_000; i++) {
      const x = streams.lognormal();
      // b spans ×1e12 and downscales; a stays at scale 6 until the merge
      const y = 10 ** (rand() * 12 - 4);
      sketchAdd(a, x);
      sketchAdd(b, y);
      sketchAdd(both, x);
      sketchAdd(both, y);
    }
    expect(a.scale).toBeGreaterThan(b.scale);
    sketchMerge(a, b);
    expect(sketchBuckets(a)).toEqual(sketchBuckets(both));
    for (const q of QS) expect(sketchQuantile(a, q)).toBe(sketchQuantile(both, q));
    expect([a.n, a.min, a.max]).toEqual([both.n, both.min, both.max]);
    expect(a.sum / both.sum).toBeCloseTo(1, 12);
  });

  it('merges a 16-bit sketch into a 32-bit one (and back) as one fed both streams', () => {
    const narrow = fed(Array.from({ length: 3_000 }, streams.lognormal));
    const wide = fed(Array.from({ length: 66_000 }, () => 40));
    expect([narrow.counts, wide.counts].map((c) => c.constructor)).toEqual([Uint16Array, Uint32Array]);
    const both = createSketch();
    sketchMerge(both, narrow);
    sketchMerge(both, wide);
    const other = createSketch();
    sketchMerge(other, wide);
    sketchMerge(other, narrow);
    expect(sketchBuckets(both)).toEqual(sketchBuckets(other));
    expect(sketchBuckets(both).counts.reduce((a, b) => a + b, 0)).toBe(69_000);
  });

  it('counts zero durations and answers an empty sketch with NaN', () => {
    const s = createSketch();
    expect(sketchQuantile(s, 0.5)).toBeNaN();
    expect(sketchBuckets(s)).toEqual({ scale: 6, zeroCount: 0, offset: 0, counts: [] });
    for (const x of [0, 0, 0, 10]) sketchAdd(s, x);
    expect(sketchQuantile(s, 0.5)).toBe(0);
    expect(sketchQuantile(s, 1)).toBeCloseTo(10, 0);
    expect(sketchBuckets(s)).toEqual({ scale: 6, zeroCount: 3, offset: bucketIndex(10, 6), counts: [1] });
  });

  it('in seconds (for OTLP) has the buckets of the values / 1000 and still answers in ms', async () => {
    const ms = Array.from({ length: 5_000 }, streams.lognormal);
    const s = fed(ms, 1000);
    const sdk = await sdkHistogram(ms.map((v) => v / 1000), MAX_BUCKETS);
    const ours = sketchBuckets(s);
    expect(bucketsAt(sdk.positive.offset, sdk.positive.bucketCounts, sdk.scale, ours.scale)).toEqual(asMap(ours));
    expect(ours).toMatchObject({ unit: 's', min: Math.min(...ms) / 1000, max: Math.max(...ms) / 1000 });
    expect(ours.sum).toBeCloseTo(sdk.sum!, 9);
    const sorted = [...ms].sort((a, b) => a - b);
    expect(Math.abs(sketchQuantile(s, 0.95) / sorted[Math.floor(0.95 * (ms.length - 1))] - 1)).toBeLessThanOrEqual(BOUND + 1e-12);
  });
});
