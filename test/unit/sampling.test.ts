import { describe, expect, it } from 'vitest';
import { randomId } from '../../src/lib/id';
import { sampled, sampleScore } from '../../src/privacy/sampling';

const ids = Array.from({ length: 20_000 }, () => randomId() + randomId());

describe('session sampling', () => {
  it("is Knuth's multiplicative hash of the session id", () => {
    // (1 × 1111111111111111111) mod 2^64, as a share of 2^64
    expect(sampleScore('0000000000000001')).toBeCloseTo(1111111111111111111 / 2 ** 64, 12);
    expect(sampleScore('ffffffffffffffff')).toBeLessThan(1);
  });

  it('gives a session the same answer every time (on every page), and each session its own', () => {
    const some = ids.slice(0, 100);
    // a later page has the id back from sessionStorage: another string, the same score
    for (const id of some) expect(sampleScore(JSON.parse(JSON.stringify({ id })).id)).toBe(sampleScore(id));
    // the score is the id's, not a constant or one of a few values
    expect(new Set(some.map(sampleScore)).size).toBe(some.length);
  });

  it('keeps the share of sessions the rate asks for', () => {
    for (const rate of [0.01, 0.1, 0.5, 0.9]) {
      const kept = ids.filter((id) => sampled(sampleScore(id), rate)).length / ids.length;
      expect(Math.abs(kept - rate)).toBeLessThan(0.02);
    }
    expect(ids.every((id) => sampled(sampleScore(id), 1))).toBe(true);
    expect(ids.some((id) => sampled(sampleScore(id), 0))).toBe(false);
  });

  it('nests per-signal rates inside the session rate and inside each other', () => {
    for (const id of ids) {
      const s = sampleScore(id);
      // a kept signal means a kept session; a lower signal rate keeps a subset of a higher one
      if (sampled(s, 0.5, 0.3)) expect(sampled(s, 0.5)).toBe(true);
      if (sampled(s, 0.5, 0.3)) expect(sampled(s, 0.5, 0.6)).toBe(true);
    }
    const both = ids.filter((id) => sampled(sampleScore(id), 0.5, 0.3)).length / ids.length;
    expect(Math.abs(both - 0.15)).toBeLessThan(0.02);
  });

  it('treats an id it cannot read as kept rather than throwing', () => {
    expect(sampleScore('not hex!')).toBe(0);
  });
});
