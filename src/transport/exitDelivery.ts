import { formBatches, newBatch } from '../buffer/formBatches';
import type { EventStore } from '../internal';
import type { ClaimLoop } from './claimLoop';
import type { HeldBatch, PageEvents } from './pageEvents';

/**
 * The page hides (it may come back) or unloads: what this page holds goes to the browser now,
 * synchronously, as keepalive requests within the quota (they outlive the page). Its batches not
 * on the wire, then its events in no batch yet, in batches formed as the store forms them, which
 * the store adopts so a later page re-sends them under the same ids if they never arrived.
 * @param maxBytes stored event bytes a batch may hold
 * @param unload the page goes for good: requests on the wire without keepalive end with it, so they go again
 */
export const deliverAtExit = (
  page: PageEvents,
  loop: ClaimLoop,
  store: EventStore,
  limits: { batchSize: number; maxBytes: number },
  unload: boolean,
  fail: (error: unknown) => void,
): void => {
  const batches: HeldBatch[] = [];
  for (const batch of page.held.values()) if (!batch.keepalive && !(batch.onWire && !unload)) batches.push(batch);
  for (const events of formBatches(page.notInBatches(), limits)) batches.push(newBatch(events));
  for (const batch of batches) {
    if (!loop.send(batch, true)) return;
    page.held.set(batch.id, batch);
    store.adoptBatch(batch).catch(fail);
  }
};
