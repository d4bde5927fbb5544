import { describe, expect, it } from 'vitest';
import { backoffDelay, outcomeOf, parseRetryAfter } from '../../src/transport/retry';
import { createBucket } from '../../src/transport/bucket';

describe('backoff', () => {
  it('is full jitter: from 0 up to 1 s doubling per attempt, capped at 60 s', () => {
    expect([0, 1, 2, 5, 6, 20].map((a) => backoffDelay(a, () => 0.999999))).toEqual(
      [1, 2, 4, 32, 60, 60].map((s) => expect.closeTo(s * 1000, 0)),
    );
    for (const a of [0, 3, 10]) expect(backoffDelay(a, () => 0)).toBe(0);
    // with Math.random: always inside the bounds
    for (let i = 0; i < 1000; i++) {
      const d = backoffDelay(i % 8);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(60_000, 1000 * 2 ** (i % 8)));
    }
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    // a date in the past means now
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
  });
  it('ignores garbage', () => {
    for (const v of [null, undefined, '', 'soon', '-5', '1.5', '12abc', 'Someday, 99 Foo']) expect(parseRetryAfter(v, now)).toBeUndefined();
  });
  it('decides retry, wait or drop by status', () => {
    expect([200, 204, 429, 503, 500, 502, 408, 0, 400, 401, 404, 413].map((s) => outcomeOf(s, undefined))).toEqual([
      'ok', 'ok', 'rate-limited', 'retry', 'retry', 'retry', 'retry', 'retry', 'rejected', 'rejected', 'rejected', 'rejected',
    ]);
    expect(outcomeOf(503, 5000)).toBe('rate-limited');
  });
});

describe('token bucket', () => {
  it('starts full, refills per minute, and says how long to wait instead of refusing', () => {
    const b = createBucket(60, 0);
    expect(b.have(0)).toBe(60);
    b.take(60);
    expect(b.have(0)).toBe(0);
    expect(b.wait(0)).toBe(1000);
    expect(b.have(10_000)).toBeCloseTo(10);
    expect(b.wait(10_000)).toBe(0);
    // never holds more than a minute's worth
    expect(b.have(10 * 60_000)).toBe(60);
    // below zero after a large batch: a token is that much further away
    b.take(90);
    expect(b.wait(10 * 60_000)).toBe(31_000);
  });
});
