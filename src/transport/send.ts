export interface Answer {
  /** HTTP status, or 0 when the request failed on the network. */
  status: number;
  retryAfter: string | null;
}

// No custom header and a string body: the request goes as text/plain, a CORS
// "simple request", so a cross-origin endpoint gets no preflight.
// A gzipped body needs its content-encoding header, and so the preflight (`compress`).
export const post = (url: string, body: string | ArrayBuffer, keepalive: boolean): Promise<Answer> =>
  fetch(url, {
    method: 'POST',
    body,
    keepalive,
    credentials: 'omit',
    mode: 'cors',
    headers: typeof body == 'string' ? undefined : { 'content-encoding': 'gzip' },
  }).then(
    (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after') }),
    () => ({ status: 0, retryAfter: null }),
  );

/** Queues a beacon; true only means the browser accepted it, never that it arrived. */
export const beacon = (url: string, body: string): boolean => {
  try {
    return navigator.sendBeacon(url, body);
  } catch {
    return false;
  }
};

/** Gzips a body off the main thread, where CompressionStream exists. */
export const gzip = (body: string): Promise<ArrayBuffer | string> =>
  typeof CompressionStream == 'function'
    ? new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()
    : Promise.resolve(body);
