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
    if (!locks) return decided(set());
    // stopped before the lock came: let it go at once
    const hold = () => (stop.aborted ? decided() : (set(), decided(), new Promise((r) => stop.addEventListener('abort', r))));
    const wait = () => void locks.request(NAME, { signal: stop }, hold).catch(noop);
    locks.request(NAME, { ifAvailable: true }, (l) => (l ? hold() : (decided(), wait()))).catch(() => decided());
  });
};
