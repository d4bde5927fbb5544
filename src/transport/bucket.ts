export interface Bucket {
  /** Tokens available at `now` (may be below zero after a large batch). */
  have(now: number): number;
  take(n: number): void;
  /** Milliseconds until `n` tokens are available. */
  wait(n: number, now: number): number;
}

/** A token bucket refilling `perMin` tokens a minute, holding at most `perMin`; starts full. */
export const createBucket = (perMin: number, now = Date.now()): Bucket => {
  let tokens = perMin;
  const have = (t: number) => {
    tokens = Math.min(perMin, tokens + ((t - now) * perMin) / 60_000);
    now = t;
    return tokens;
  };
  return {
    have,
    take: (n) => void (tokens -= n),
    wait: (n, t) => Math.max(0, ((Math.min(n, perMin) - have(t)) * 60_000) / perMin),
  };
};
