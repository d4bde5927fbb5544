// Welford's online mean and variance: one pass, O(1) per value, no catastrophic cancellation.

export interface Welford {
  n: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
}

export const createWelford = (): Welford => ({ n: 0, mean: 0, m2: 0 });

export const welfordAdd = (w: Welford, x: number): void => {
  const d = x - w.mean;
  w.mean += d / ++w.n;
  w.m2 += d * (x - w.mean);
};

/** Sample standard deviation (n - 1); 0 below two values. */
export const welfordStd = (w: Welford): number => (w.n > 1 ? Math.sqrt(w.m2 / (w.n - 1)) : 0);
