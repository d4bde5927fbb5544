/** HTTP status (0 when the request failed on the network), the Retry-After header, and a JSON 2xx's body. */
export type Answer = [status: number, retryAfter?: string | null, body?: string];

// No custom header and a string body: the request goes as text/plain, a CORS
// "simple request", so a cross-origin endpoint gets no preflight. With `json` (OTLP) it goes as
// application/json, preflighted, and a 2xx's body is read (it may carry a partialSuccess).
export const post = (url: string, body: string, keepalive: boolean, json = false): Promise<Answer> =>
  fetch(url, { method: 'POST', body, keepalive, credentials: 'omit', mode: 'cors', headers: json ? { 'content-type': 'application/json' } : undefined }).then(
    async (r): Promise<Answer> => [r.status, r.headers.get('retry-after'), json && r.ok ? await r.text().catch(() => undefined) : undefined],
    (): Answer => [0],
  );

/** Queues a beacon; true only means the browser accepted it, never that it arrived. */
export const beacon = (url: string, body: string): boolean => {
  try {
    return navigator.sendBeacon(url, body);
  } catch {
    return false;
  }
};
