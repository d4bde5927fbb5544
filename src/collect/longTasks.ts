import type { Collector } from '../types';
import { guard } from '../lib/attempt';

// Lighthouse's thresholds for total blocking time, in ms: good up to the first, needs-improvement up to the second
const TBT_GOOD_MS = 200;
const TBT_POOR_MS = 600;
const rating = (blockingMs: number) => (blockingMs <= TBT_GOOD_MS ? 'good' : blockingMs <= TBT_POOR_MS ? 'needs-improvement' : 'poor');

/**
 * Long animation frames (or long tasks where LoAF is missing): their count and
 * total blocking time since the last summary, as a `vital` named TBT at each flush.
 */
export const longTasks: Collector = (r) => {
  const type = ['long-animation-frame', 'longtask'].find((t) => PerformanceObserver.supportedEntryTypes?.includes(t));
  let count = 0;
  let blocking = 0;
  const add = (list: PerformanceEntryList) => {
    for (const e of list) count++, (blocking += (e as { blockingDuration?: number }).blockingDuration ?? Math.max(0, e.duration - 50));
  };
  const po = new PerformanceObserver(guard(r, (l: PerformanceObserverEntryList) => add(l.getEntries())));
  // where neither is supported it observes nothing
  if (type) po.observe({ type, buffered: true });
  return {
    flush() {
      add(po.takeRecords());
      if (!count) return;
      const value = Math.round(blocking);
      r.record('vital', { name: 'TBT', value, rating: rating(value), count, entry: type });
      count = blocking = 0;
    },
    stop: () => po.disconnect(),
  };
};
