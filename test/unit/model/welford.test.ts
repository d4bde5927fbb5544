import { describe, expect, it } from 'vitest';
import { createWelford, welfordAdd, welfordStd } from '../../../src/model/welford';
import { rng } from './random';

const twoPass = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) };
};

describe('Welford', () => {
  it('matches a two-pass mean and standard deviation', () => {
    const { normal } = rng(3);
    const xs = Array.from({ length: 10_000 }, () => 5 + 2 * normal());
    const w = createWelford();
    for (const x of xs) welfordAdd(w, x);
    const exact = twoPass(xs);
    expect(w.mean).toBeCloseTo(exact.mean, 10);
    expect(welfordStd(w)).toBeCloseTo(exact.std, 10);
  });

  it('stays exact on values with a large offset, where the sum-of-squares formula fails', () => {
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    const w = createWelford();
    for (const x of xs) welfordAdd(w, x);
    expect(welfordStd(w)).toBeCloseTo(twoPass(xs).std, 9);
    expect(welfordStd(createWelford())).toBe(0);
  });
});
