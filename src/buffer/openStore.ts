import { wrap } from 'comlink';
import { createMemoryStore } from './memoryStore';
import { workerScript } from './workerScript';
import type { EventStore, StoreLimits } from '../types';

// comlink waits forever for a worker that never starts (CSP, bad URL): give up after this.
const START_MS = 5_000;
const METHODS = ['append', 'claim', 'ack', 'release', 'adopt', 'counts', 'limit', 'lease'] as const;

/**
 * The buffer: IndexedDB in a worker, or memory when no worker starts or IndexedDB fails.
 * Calls made before it is ready wait for it, in order.
 * @returns the store, and whether it is IndexedDB once that is known
 */
export const openStore = (lim: StoreLimits, workerUrl?: string): [EventStore, Promise<boolean>] => {
  let store: EventStore;
  let worker: Worker | undefined;
  const ready = new Promise<void>((ok, fail) => {
    const code = workerUrl || workerScript();
    if (!code || typeof Worker != 'function') return fail();
    // starting a worker costs the page several milliseconds: not inside init(), but in a task of its own
    setTimeout(() => {
      setTimeout(fail, START_MS);
      // the constructor itself may throw (a cross-origin workerUrl, a sandbox): memory, then
      try {
        worker = new Worker(workerUrl || URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
        worker.onerror = fail;
        const remote = wrap<{ open(lim: StoreLimits): void }>(worker);
        remote.open(lim).then(() => ok((store = remote as unknown as EventStore) && undefined), fail);
      } catch (e) {
        fail(e);
      }
    });
  }).then(
    () => true,
    () => {
      worker?.terminate();
      store = createMemoryStore(lim);
      return false;
    },
  );
  const facade = {} as Record<string, unknown>;
  // each method is looked up once: a comlink proxy makes a new proxy on every property read
  const fns = {} as Record<string, (...a: never[]) => unknown>;
  for (const m of METHODS) facade[m] = (...a: never[]) => ready.then(() => (fns[m] ||= store[m] as never)(...a));
  return [facade as unknown as EventStore, ready];
};
