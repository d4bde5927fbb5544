/** HTTP status (0 when the request failed on the network), and the Retry-After header. */
export type Answer = [status: number, retryAfter?: string | null];

// No custom header and a string body: the request goes as text/plain, a CORS
// "simple request", so a cross-origin endpoint gets no preflight.
export const post = (url: string, body: string, keepalive: boolean): Promise<Answer> =>
  fetch(url, { method: 'POST', body, keepalive, credentials: 'omit', mode: 'cors' }).then(
    (r): Answer => [r.status, r.headers.get('retry-after')],
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
