export interface Bucket {
  /** Tokens available at `now` (may be below zero after a large batch). */
  have(now: number): number;
  take(n: number): void;
  /** Milliseconds until a token is available. */
  wait(now: number): number;
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
    wait: (t) => Math.max(0, ((1 - have(t)) * 60_000) / perMin),
  };
};
