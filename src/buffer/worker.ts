import { expose, type Endpoint } from 'comlink';
import type { EventStore, StoreLimits } from '../internal';
import { createIdbStore } from './idbStore';

/** What the worker offers the page: `open`, then the store's methods. */
export interface WorkerStore extends EventStore {
  /** Opens the IndexedDB store; `debug`: the connection's events are logged to the console. */
  open(limits: StoreLimits, debug: boolean): Promise<void>;
}

/**
 * The worker side (comlink's `expose`): `open` makes the IndexedDB store, whose methods the page
 * then calls. `endpoint`: the worker's own scope, a MessagePort in tests.
 */
export const serveStore = (endpoint: Endpoint = self as unknown as Endpoint): void => {
  const api = {
    async open(limits: StoreLimits, debug: boolean) {
      const log = (message: string) => {
        if (debug) console.debug('telltale:', message);
      };
      Object.assign(api, await createIdbStore(limits, log));
    },
  };
  expose(api, endpoint);
};
