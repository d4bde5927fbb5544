/** HTTP status (0 when the request failed on the network), the Retry-After header, and a JSON 2xx's body. */
export type Answer = [status: number, retryAfter?: string | null, body?: string];

/** Whether this browser has keepalive `fetch` (the request outlives the page); elsewhere exits go by `sendBeacon`. */
export const hasKeepaliveFetch = (): boolean => typeof Request == 'function' && 'keepalive' in Request.prototype;

/**
 * Posts a body, never with credentials (no cookie of the ingest's site goes along). No custom header
 * and a string body: the request goes as text/plain, a CORS "simple request", without preflight.
 * With `json` (OTLP) it goes as application/json, preflighted, and a 2xx's body is read (it may
 * carry a partialSuccess).
 */
export const post = (url: string, body: string, keepalive: boolean, json = false): Promise<Answer> =>
  fetch(url, { method: 'POST', body, keepalive, credentials: 'omit', mode: 'cors', headers: json ? { 'content-type': 'application/json' } : undefined }).then(
    async (response): Promise<Answer> => [
      response.status,
      response.headers.get('retry-after'),
      json && response.ok ? await response.text().catch(() => undefined) : undefined,
    ],
    (): Answer => [0],
  );

/**
 * Queues a beacon, only where keepalive fetch does not exist: a beacon always carries the
 * cookies of the ingest's site. True only means the browser accepted it, never that it arrived.
 */
export const beacon = (url: string, body: string): boolean => {
  try {
    return navigator.sendBeacon(url, body);
  } catch {
    return false;
  }
};
