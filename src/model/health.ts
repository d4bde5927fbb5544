// A model's health, 0..100, from what one summary says about it (the formula of issue 6).

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/**
 * @param meanMs mean latency; every 10 ms over `budgetMs` costs a point
 * @param critical open critical alerts (10 points each), `warnings` open warnings (5 each)
 */
export const health = (
  count: number,
  errors: number,
  fallbacks: number,
  meanMs: number,
  budgetMs: number,
  critical: number,
  warnings: number,
): { score: number; status: HealthStatus } => {
  const rate = count ? errors / count : 0;
  const score = Math.round(
    Math.min(
      100,
      Math.max(
        0,
        100 - 200 * rate - Math.max(0, meanMs - budgetMs) / 10 - 10 * critical - 5 * warnings + (count && fallbacks < 0.2 * count ? 5 : 0),
      ),
    ),
  );
  return { score, status: score < 50 || rate > 0.1 || critical ? 'unhealthy' : score > 80 ? 'healthy' : 'degraded' };
};
