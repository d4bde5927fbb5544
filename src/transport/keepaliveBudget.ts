/**
 * The browser's keepalive quota is 64 KiB for all of a page's keepalive requests in flight
 * together; stay under it (bytes of bodies, and requests) and leave room for the page's own.
 */
export const KEEPALIVE_BYTES = 60_000;
export const KEEPALIVE_REQUESTS = 9;

/** This page's keepalive requests in flight, against the quota. */
export interface KeepaliveBudget {
  /** Whether one more request of `bytes` fits. */
  fits(bytes: number): boolean;
  take(bytes: number): void;
  /** Its request settled. */
  give(bytes: number): void;
}

export const createKeepaliveBudget = (): KeepaliveBudget => {
  let bytesInFlight = 0;
  let requestsInFlight = 0;
  return {
    fits: (bytes) => bytesInFlight + bytes <= KEEPALIVE_BYTES && requestsInFlight < KEEPALIVE_REQUESTS,
    take(bytes) {
      bytesInFlight += bytes;
      requestsInFlight++;
    },
    give(bytes) {
      bytesInFlight -= bytes;
      requestsInFlight--;
    },
  };
};
