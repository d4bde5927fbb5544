import type { Collector } from '../types';
import { guard } from '../lib/attempt';

// Lighthouse's thresholds for total blocking time, in ms: good up to the first, needs-improvement up to the second
const TBT_GOOD_MS = 200;
const TBT_POOR_MS = 600;
const rating = (blockingMs: number): string => {
  if (blockingMs <= TBT_GOOD_MS) return 'good';
  return blockingMs <= TBT_POOR_MS ? 'needs-improvement' : 'poor';
};

// A task's time over this is blocking time (the long-task definition), in ms.
const BLOCKING_OVER_MS = 50;

/** Blocking time of a long animation frame (its own field) or of a long task (its time over 50 ms). */
const blockingTime = (entry: PerformanceEntry): number =>
  (entry as { blockingDuration?: number }).blockingDuration ?? Math.max(0, entry.duration - BLOCKING_OVER_MS);

/**
 * Long animation frames (or long tasks where LoAF is missing): their count and
 * total blocking time since the last summary, as a `vital` named TBT at each flush.
 */
export const longTasks: Collector = (recorder) => {
  const entryType = ['long-animation-frame', 'longtask'].find((type) => PerformanceObserver.supportedEntryTypes?.includes(type));
  let count = 0;
  let blockingMs = 0;
  const add = (entries: PerformanceEntryList) => {
    for (const entry of entries) {
      count++;
      blockingMs += blockingTime(entry);
    }
  };
  const observer = new PerformanceObserver(guard(recorder, (list: PerformanceObserverEntryList) => add(list.getEntries())));
  // where neither is supported it observes nothing
  if (entryType) observer.observe({ type: entryType, buffered: true });
  return {
    flush() {
      add(observer.takeRecords());
      if (!count) return;
      const value = Math.round(blockingMs);
      recorder.record('vital', { name: 'TBT', value, rating: rating(value), count, entry: entryType });
      count = 0;
      blockingMs = 0;
    },
    stop: () => observer.disconnect(),
  };
};
