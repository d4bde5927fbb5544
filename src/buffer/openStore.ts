import type { Remote } from 'comlink';
import type { EventStore, StoreLimits } from '../internal';
import type { BufferLoss } from '../types';
import { bufferLostError, lossOf } from './bufferLost';
import { STORE_CALL_TIMEOUT_MS, withTimeout } from './callTimeout';
import type { WorkerStore } from './worker';

/** The buffer as the page sees it. */
export interface OpenedStore {
  store: EventStore;
  /** Resolves true when the store is IndexedDB (shared by the origin's tabs), false when it is memory. */
  shared: Promise<boolean>;
  /** Resolves, with the reason, when an IndexedDB store was given up for memory: what the page holds must go to it again. */
  lost: Promise<BufferLoss>;
  /** Times the browser closed the IndexedDB connection and the worker reopened it. */
  reopened(): number;
}

/** The store's methods: each waits for the store, then goes to the worker or to memory. */
const METHODS: Record<keyof EventStore, true> = {
  append: true,
  claimBatches: true,
  ackBatches: true,
  releaseBatch: true,
  adoptBatch: true,
  counts: true,
  limit: true,
  purge: true,
};

/**
 * The buffer: IndexedDB in a worker (through comlink), or memory when no worker starts, IndexedDB
 * fails, the worker loses its store (a newer version in another tab, the browser closing the
 * connection twice) or stops answering. Calls made before it is ready wait for it, in order.
 */
export const openStore = (limits: StoreLimits, workerUrl?: string, debug = false, onlyIfStored?: boolean): OpenedStore => {
  // the memory store loads only when it is used: no worker, or the worker's store was lost
  let memory: Promise<EventStore> | undefined;
  const inMemory = () => (memory ||= import('./memoryStore').then(({ createMemoryStore }) => createMemoryStore(limits)));
  let worker: Worker | undefined;
  let remote: Remote<WorkerStore> | undefined;
  let reopened = 0;
  let markLost: (reason: BufferLoss) => void;
  const lost = new Promise<BufferLoss>((resolve) => {
    markLost = resolve;
  });

  // calls sent to the worker and not answered yet: a worker given up is terminated once they are
  let unanswered = 0;
  const terminateWhenIdle = () => {
    if (!remote && !unanswered) worker?.terminate();
  };
  const giveUpWorker = (reason: BufferLoss) => {
    if (remote) markLost(reason);
    remote = undefined;
    terminateWhenIdle();
  };
  const keepWorker = (started: Worker) => {
    worker = started;
  };
  const watch = {
    reopened() {
      reopened++;
    },
    lost: giveUpWorker,
  };
  // comlink and the worker's start load with it, after init()'s task
  const shared = import('./connectWorker')
    .then(({ connectWorker }) => connectWorker(limits, debug, workerUrl, keepWorker, watch, onlyIfStored))
    .then(
      (opened) => {
        remote = opened;
        return true;
      },
      () => {
        giveUpWorker('failed');
        return false;
      },
    );

  const store = {} as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method in METHODS) {
    store[method] = async (...args) => {
      await shared;
      if (!remote) return ((await inMemory()) as unknown as typeof store)[method](...args);
      unanswered++;
      try {
        const call = (remote as unknown as typeof store)[method](...args);
        return await withTimeout(call, STORE_CALL_TIMEOUT_MS, `the worker store did not answer ${method} in time`);
      } catch (error) {
        const givenUpMeanwhile = !remote;
        const loss = lossOf(error);
        giveUpWorker(loss ?? 'failed');
        // the store was given up: the page hands what it holds to memory, this call's failure is no error of its own
        throw loss || givenUpMeanwhile ? bufferLostError(loss ?? 'failed') : error;
      } finally {
        unanswered--;
        terminateWhenIdle();
      }
    };
  }
  return { store: store as unknown as EventStore, shared, lost, reopened: () => reopened };
};
