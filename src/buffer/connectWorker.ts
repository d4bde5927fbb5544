import { proxy, wrap, type Remote } from 'comlink';
import type { StoreLimits } from '../internal';
import type { ConnectionWatch, WorkerStore } from './worker';
import { withTimeout } from './callTimeout';
import { DATABASE_NAME } from './databaseName';
import { workerScript } from './workerScript';

/**
 * A worker that never starts (CSP, a bad URL) answers nothing, and does not always fire `error`;
 * an open that another tab blocks waits too: the buffer is memory after this long.
 */
const STORE_OPEN_TIMEOUT_MS = 10_000;
/** Whether the origin has the buffer's database; true where the browser cannot list its databases. */
const databaseStored = async (): Promise<boolean> => {
  if (typeof indexedDB == 'undefined') return false;
  if (typeof indexedDB.databases != 'function') return true;
  const databases = await indexedDB.databases();
  return databases.some(({ name }) => name == DATABASE_NAME);
};

/**
 * Starts the worker and opens its store (comlink's `wrap`); rejects when either fails or takes too long.
 * @param started gets the worker as soon as it exists, so that it can be terminated
 * @param watch told, from the worker, when its connection was reopened or its store lost
 * @param onlyIfStored rejects when the origin has no buffer database (a purge must not create one)
 */
export const connectWorker = async (
  limits: StoreLimits,
  debug: boolean,
  workerUrl: string | undefined,
  started: (worker: Worker) => void,
  watch: ConnectionWatch,
  onlyIfStored?: boolean,
): Promise<Remote<WorkerStore>> => {
  if (onlyIfStored && !(await databaseStored())) throw new Error('no buffer database to open');
  return new Promise<Remote<WorkerStore>>((resolve, reject) => {
    const code = workerUrl || workerScript();
    if (!code || typeof Worker != 'function') return reject(new Error('no worker'));
    // starting a worker costs the page several milliseconds: not inside init(), but in a task of its own
    setTimeout(() => {
      // the constructor itself may throw (a cross-origin workerUrl, a sandbox): memory, then
      try {
        const worker = new Worker(workerUrl || URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
        started(worker);
        // comlink leaves a call waiting forever when the worker never runs: the error event and the timeout end it
        worker.addEventListener('error', reject);
        const remote = wrap<WorkerStore>(worker);
        withTimeout(remote.open(limits, debug, proxy(watch)), STORE_OPEN_TIMEOUT_MS, 'the worker store did not open in time').then(() => resolve(remote), reject);
      } catch (error) {
        reject(error);
      }
    });
  });
};
