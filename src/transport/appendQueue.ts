import { mergeDrops, type Drops } from '../buffer/storedBatch';
import type { EventStore, StoreCounts, StoredEvent } from '../internal';

/** Appends start at most this often: the page ↔ worker traffic stays bounded whatever the page records. */
export const APPEND_INTERVAL_MS = 25;

/** Hands events to the store, one append in flight at a time; what arrives meanwhile joins the next. */
export interface AppendQueue {
  push(events: StoredEvent[], dropped?: Drops): void;
  /** Starts an append of what waits now, even with one in flight (the page exits). */
  startNow(): void;
  /** Resolves once everything pushed so far is in the store. */
  settled(): Promise<void>;
  /** Forgets what waits (consent withdrawn). */
  clear(): void;
}

/** @param appended called with the store's counts after each append */
export const createAppendQueue = (store: EventStore, appended: (counts: StoreCounts) => void, fail: (error: unknown) => void): AppendQueue => {
  let waiting: StoredEvent[] = [];
  let drops: Drops = {};
  let inFlight: Promise<void> | undefined;
  let lastStartedAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const hasWaiting = () => waiting.length > 0 || Object.keys(drops).length > 0;
  const start = () => {
    clearTimeout(timer);
    timer = undefined;
    const events = waiting;
    const dropped = Object.keys(drops).length ? drops : undefined;
    waiting = [];
    drops = {};
    lastStartedAt = Date.now();
    const append: Promise<void> = store
      .append(events, dropped)
      .then(appended, fail)
      .finally(() => {
        if (inFlight == append) inFlight = undefined;
        schedule();
      });
    inFlight = append;
  };
  const schedule = () => {
    if (inFlight || timer !== undefined || !hasWaiting()) return;
    const delay = lastStartedAt + APPEND_INTERVAL_MS - Date.now();
    if (delay <= 0) start();
    else timer = setTimeout(start, delay);
  };

  return {
    push(events, dropped) {
      for (const event of events) waiting.push(event);
      mergeDrops(drops, dropped);
      schedule();
    },
    startNow() {
      if (hasWaiting()) start();
    },
    async settled() {
      while (inFlight || hasWaiting()) {
        if (!inFlight) start();
        await inFlight;
      }
    },
    clear() {
      clearTimeout(timer);
      timer = undefined;
      waiting = [];
      drops = {};
    },
  };
};
