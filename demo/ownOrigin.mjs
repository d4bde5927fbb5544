// The demo's control routes (`/api/*`) answer its own page only. A site the developer visits
// can post to 127.0.0.1 (CSRF: its `Origin` is not ours) or rebind its own name to 127.0.0.1
// (DNS rebinding: the `Host` is its name, not ours). The ingest endpoint stays open to any origin.

/** Names the server answers to on this machine. */
const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** The host name of a `Host` header (`127.0.0.1:5173` → `127.0.0.1`, `[::1]:80` → `[::1]`). */
const nameOf = (host) => /^(\[[^\]]*\]|[^:]*)/.exec(host)[1].toLowerCase();

/**
 * A check for requests made by the server's own pages.
 * @param {string} listenHost the host the server listens on (also accepted as a name)
 * @returns {(req: import('node:http').IncomingMessage) => boolean} true when `Host` names this
 *   server and `Origin`, when sent, is the page's own (`http://` + that `Host`)
 */
export const ownOrigin = (listenHost) => {
  const names = new Set([...LOOPBACK, nameOf(listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost)]);
  return (req) => {
    const { host, origin } = req.headers;
    if (!host || !names.has(nameOf(host))) return false;
    return origin === undefined || origin === `http://${host}`;
  };
};
