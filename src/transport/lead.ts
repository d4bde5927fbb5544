import { randomId } from '../lib/id';
import type { EventStore } from '../types';

const NAME = 'telltale-sender';
// the lease is renewed three times in its 15 s life
const RENEW_MS = 5_000;

/**
 * Only one tab of the origin sends: the holder of a Web Lock (released when its tab
 * closes or crashes), or where Web Locks are missing, of a lease kept in the store.
 * @param set called with true when this tab becomes the sender (false when a lease is lost)
 * @returns resolves once this tab knows whether it sends now, and a stop function
 */
export const lead = (store: EventStore, set: (leading: boolean) => void): [Promise<void>, () => void] => {
  const locks = (navigator as { locks?: LockManager }).locks;
  if (locks) {
    let free: (() => void) | undefined;
    // a queued request is withdrawn at stop, so a stopped client never holds the lock
    const quit = new AbortController();
    const known = new Promise<void>((decided) => {
      const hold = () => (set(true), decided(), new Promise<void>((r) => (free = r)));
      const wait = () => void locks.request(NAME, { signal: quit.signal }, hold).catch(() => {});
      locks.request(NAME, { ifAvailable: true }, (l) => (l ? hold() : (decided(), wait()))).catch(() => decided());
    });
    return [known, () => (quit.abort(), free?.())];
  }
  const tab = randomId();
  const renew = () => store.lease(tab, Date.now()).then(set, () => set(false));
  const timer = setInterval(renew, RENEW_MS);
  return [renew(), () => clearInterval(timer)];
};
