import { noop } from '../lib/attempt';

const NAME = 'telltale-sender';

/**
 * Only one tab of the origin sends: the holder of a Web Lock (released when its tab closes or
 * crashes). Without Web Locks every tab sends from the shared store: nothing is lost, but a batch
 * may go twice, same ids (a tab's claim can take one that another tab has on the wire).
 * @param set called when this tab becomes the sender
 * @param stop releases the lock, or withdraws a queued request: a stopped client never holds it
 * @returns resolves once this tab knows whether it sends now
 */
export const lead = (set: () => void, stop: AbortSignal): Promise<void> => {
  const locks = (navigator as { locks?: LockManager }).locks;
  return new Promise<void>((decided) => {
    if (!locks) {
      set();
      return decided();
    }
    // held until stop() aborts; stopped before the lock came: let it go at once
    const hold = (): Promise<void> | void => {
      if (stop.aborted) return decided();
      set();
      decided();
      return new Promise<void>((released) => stop.addEventListener('abort', () => released()));
    };
    const wait = () => void locks.request(NAME, { signal: stop }, hold).catch(noop);
    locks
      .request(NAME, { ifAvailable: true }, (lock) => {
        if (lock) return hold();
        decided();
        wait();
      })
      .catch(() => decided());
  });
};
