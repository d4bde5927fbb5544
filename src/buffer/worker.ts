import { expose, type Endpoint, type Remote } from 'comlink';
import { noop } from '../lib/attempt';
import type { EventStore, StoreLimits } from '../internal';
import { createIdbStore, type StoreWatch } from './idbStore';

/** What the page hears from the worker about the store's connection (a comlink proxy). */
export type ConnectionWatch = Omit<StoreWatch, 'log'>;

/** What the worker offers the page: `open`, then the store's methods. */
export interface WorkerStore extends EventStore {
  /**
   * Opens the IndexedDB store; `debug`: the connection's events are logged to the console;
   * `watch`: told when the connection was reopened or the store lost.
   */
  open(limits: StoreLimits, debug: boolean, watch: ConnectionWatch): Promise<void>;
}

/**
 * The worker side (comlink's `expose`): `open` makes the IndexedDB store, whose methods the page
 * then calls. `endpoint`: the worker's own scope, a MessagePort in tests.
 */
export const serveStore = (endpoint: Endpoint = self as unknown as Endpoint): void => {
  const api = {
    async open(limits: StoreLimits, debug: boolean, watch: Remote<ConnectionWatch>) {
      const log = (message: string) => {
        if (debug) console.debug('telltale:', message);
      };
      // told without waiting for the page: its answer changes nothing here
      const store = await createIdbStore(limits, {
        log,
        reopened: () => void watch.reopened().catch(noop),
        lost: (reason) => void watch.lost(reason).catch(noop),
      });
      Object.assign(api, store);
    },
  };
  expose(api, endpoint);
};
