import { expose } from 'comlink';
import { createIdbStore } from './idbStore';
import type { StoreLimits } from '../types';

/** The worker side: `open` makes the IndexedDB store, whose methods the page then calls through comlink. */
export const serveStore = (): void => {
  const api = { open: async (lim: StoreLimits) => void Object.assign(api, await createIdbStore(lim)) };
  expose(api);
};
