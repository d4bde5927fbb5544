import { createMemoryStore } from './memoryStore';
import { connect, type Call } from './rpc';
import { workerScript } from './workerScript';
import type { EventStore, StoreLimits } from '../internal';

// a worker that never starts (CSP, bad URL) answers nothing, and does not always fire `error`: give up after this.
const START_MS = 5_000;

/**
 * The buffer: IndexedDB in a worker, or memory when no worker starts or IndexedDB fails.
 * Calls made before it is ready wait for it, in order.
 * @returns the store, and whether it is IndexedDB once that is known
 */
export const openStore = (lim: StoreLimits, workerUrl?: string): [EventStore, Promise<boolean>] => {
  // the fallback, made now (a few empty maps) so that its methods name the facade's: no list of them ships
  const mem = createMemoryStore(lim) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  let call: Call;
  let worker: Worker | undefined;
  const ready = new Promise((ok, fail) => {
    const code = workerUrl || workerScript();
    if (!code || typeof Worker != 'function') return fail();
    // starting a worker costs the page several milliseconds: not inside init(), but in a task of its own
    setTimeout(() => {
      setTimeout(fail, START_MS);
      // the constructor itself may throw (a cross-origin workerUrl, a sandbox): memory, then
      try {
        worker = new Worker(workerUrl || URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
        worker.onerror = fail;
        (call = connect(worker))('open', [lim]).then(ok, fail);
      } catch (e) {
        fail(e);
      }
    });
  }).then(
    () => true,
    () => {
      worker?.terminate();
      call = (m, a) => mem[m](...a);
      return false;
    },
  );
  const facade = {} as Record<string, unknown>;
  for (const m in mem) facade[m] = (...a: unknown[]) => ready.then(() => call(m, a));
  return [facade as unknown as EventStore, ready];
};
