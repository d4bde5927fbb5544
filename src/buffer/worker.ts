import { createIdbStore } from './idbStore';
import { serve, type Port } from './rpc';
import type { StoreLimits } from '../internal';

/**
 * The worker side: `open` makes the IndexedDB store, whose methods the page then calls (rpc.ts).
 * `port`: the worker's own scope, a MessagePort in tests.
 */
export const serveStore = (port: Port = self): void => {
  const api = { open: async (lim: StoreLimits) => void Object.assign(api, await createIdbStore(lim)) };
  serve(api, port);
};
