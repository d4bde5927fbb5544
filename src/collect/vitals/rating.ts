import type { Name } from './entries';

// good up to the first, needs-improvement up to the second (web-vitals' thresholds; Lighthouse's for TBT)
const LIMITS: Record<Name | 'TBT', [number, number]> = { LCP: [2500, 4000], INP: [200, 500], CLS: [0.1, 0.25], FCP: [1800, 3000], TTFB: [800, 1800], TBT: [200, 600] };

export const rating = (name: Name | 'TBT', value: number) => {
  const [good, poor] = LIMITS[name];
  return value <= good ? 'good' : value <= poor ? 'needs-improvement' : 'poor';
};
