import { noop, attempt } from './lib/attempt';
import { warn } from './lib/debug';
import type { ClientEvents, Stats } from './types';

type Listener = [type: keyof ClientEvents, listener: (value: never) => void];

/** The site's listeners, added by `on()`. */
export interface Listeners {
  on<K extends keyof ClientEvents>(type: K, listener: (value: ClientEvents[K]) => void): () => void;
  emit<K extends keyof ClientEvents>(type: K, value: ClientEvents[K]): void;
  /** Delivery counts changed: `stats` listeners hear of it in a later task, once however many changes came. */
  statsChanged(): void;
}

/**
 * The site's listeners of events, batches, alerts and stats. One that throws is reported in
 * debug only; it never stops the others or reaches the SDK.
 * @param readStats what `stats` listeners are told
 */
export const createListeners = (readStats: () => Stats): Listeners => {
  const listeners = new Set<Listener>();
  let statsDue = false;

  const emit = <K extends keyof ClientEvents>(type: K, value: ClientEvents[K]) => {
    for (const [listenedType, listener] of listeners)
      if (listenedType == type) attempt((error) => warn('listener threw', error), listener, value as never);
  };
  const hasStatsListener = () => [...listeners].some(([type]) => type == 'stats');

  return {
    on(type, listener) {
      if (typeof listener != 'function') {
        warn('on() needs a function');
        return noop;
      }
      const entry: Listener = [type, listener];
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
    emit,
    statsChanged() {
      if (statsDue || !hasStatsListener()) return;
      statsDue = true;
      setTimeout(() => {
        statsDue = false;
        emit('stats', readStats());
      });
    },
  };
};
