import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricType } from 'web-vitals';
import { guard } from '../lib/attempt';
import type { Collector } from '../types';
import { attribution, groupEvents, round } from './attribution';

/**
 * LCP, INP, CLS, FCP and TTFB (again after a back/forward-cache restore, as
 * web-vitals reports them) as `vital` events with a short attribution of our own
 * (./attribution): web-vitals' attribution build is 2 KB more gzipped.
 */
export const vitals: Collector = (r) => {
  let on = true;
  let events: PerformanceObserver | undefined;
  const report = guard(r, (m: MetricType) => {
    if (on) r.record('vital', { name: m.name, value: round(m.value), rating: m.rating, delta: round(m.delta), navigationType: m.navigationType, attribution: attribution(m) });
  });
  // set up in a task of its own, not inside init() (about 5 ms): its observers read buffered entries,
  // so nothing that happened meanwhile is missed
  const start = setTimeout(
    guard(r, () => {
      events = groupEvents();
      for (const f of [onCLS, onFCP, onINP, onLCP, onTTFB]) f(report);
    }),
  );
  // web-vitals cannot unsubscribe: reports after stop() are ignored
  return {
    stop() {
      on = false;
      clearTimeout(start);
      events?.disconnect();
    },
  };
};
