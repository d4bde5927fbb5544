// `npm run demo`: the demo pages, the SDK builds, the few node_modules files the
// pages import, and the reference ingest server, all on 127.0.0.1.
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createIngest } from './ingest.mjs';
import { ownOrigin } from './ownOrigin.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};
// What may be served: the demo, the builds, and the browser files of these packages.
const SERVED = ['demo/', 'dist/', 'node_modules/web-vitals/', 'node_modules/@tensorflow/'];
// Routes pushed by either page load that page again on a reload.
const PAGES = { '/': 'demo/index.html', '/spa': 'demo/spa.html' };
const pageOf = (path) => PAGES[path] || (path.startsWith('/spa/') ? PAGES['/spa'] : path.startsWith('/shop/') ? PAGES['/'] : undefined);

/**
 * The file a decoded path names, or undefined when it lies outside the served folders. The check
 * is made on the resolved path, after decoding: `/demo/..%2F.git%2Fconfig` names `.git/config`.
 */
const servedFile = (path) => {
  // a backslash or NUL is never part of a served name (and a separator on Windows)
  if (/[\\\0]/.test(path)) return undefined;
  const file = resolve(ROOT, pageOf(path) || '.' + path);
  const rel = relative(ROOT, file).split(sep).join('/');
  return SERVED.some((folder) => rel.startsWith(folder)) ? file : undefined;
};

/** Answers the file `fileOf` names for the path, or 404: the last route, it takes every path. */
const serveFile = async (res, file) => {
  try {
    if (!file || !(await stat(file)).isFile()) throw 0;
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
};

/** The request's URL and its decoded path, or undefined when the path is malformed (`/%`, `/%E0%A4%A`). */
const parse = (req) => {
  try {
    const url = new URL(req.url, 'http://x');
    return { url, path: decodeURIComponent(url.pathname) };
  } catch {
    return undefined;
  }
};

/**
 * Serves files and the reference ingest (/ingest) on one origin, as a site and its backend would be.
 * Resolves once it listens.
 * @param {{ fileOf: (path: string) => string | undefined, port?: number, host?: string, dataDir?: string, log?: (line: string) => void, limits?: object }} o
 *   fileOf: the file that answers a decoded URL path, or undefined (404) for one outside what is served;
 *   limits: the ingest's bounds (`maxStreams`, `maxFileBytes`, `dedupe`), see createIngest
 */
export const serveWithIngest = ({ fileOf, port = 5173, host = '127.0.0.1', dataDir, log = () => {}, limits = {} }) => {
  const ingest = createIngest({ dataDir, log, isOwn: ownOrigin(host), ...limits });
  // in order, each route answers and returns true, or returns false for a path it does not own
  const routes = [
    (req, res, { url }) => ingest.handle(req, res, url),
    (req, res, { path }) => {
      void serveFile(res, fileOf(path));
      return true;
    },
  ];
  const server = createServer((req, res) => {
    const target = parse(req);
    if (!target) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('malformed path');
    try {
      for (const route of routes) if (route(req, res, target)) return;
    } catch (err) {
      // a route's bug answers 500; the server goes on
      log(`500 ${req.method} ${req.url}: ${err.message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    }
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const url = `http://${host}:${server.address().port}`;
      done({
        url,
        ingest,
        close: () =>
          new Promise((closed) => {
            ingest.close();
            server.closeAllConnections();
            server.close(() => closed());
          }),
      });
    });
  });
};

/**
 * Starts the demo server: the demo pages, the builds and the reference ingest. Resolves once it listens.
 * @param {{ port?: number, host?: string, dataDir?: string, quiet?: boolean, limits?: object }} [o]
 *   limits: the ingest's bounds (`maxStreams`, `maxFileBytes`, `dedupe`), see createIngest
 */
export const startDemo = ({ port = 5173, host = '127.0.0.1', dataDir = join(ROOT, '.demo-data'), quiet = false, limits = {} } = {}) => {
  const log = quiet ? () => {} : (line) => console.log(`${new Date().toLocaleTimeString()}  ${line}`);
  return serveWithIngest({ fileOf: servedFile, port, host, dataDir, log, limits });
};

if (process.argv[1] && import.meta.url == pathToFileURL(resolve(process.argv[1])).href) {
  const port = Number(process.env.PORT || 5173);
  startDemo({ port }).then(
    ({ url }) => {
      console.log(`\n  telltale demo      ${url}/`);
      console.log(`  SPA (ESM) page     ${url}/spa`);
      console.log(`  ingest endpoint    ${url}/ingest   (stored events: .demo-data/events.jsonl)\n`);
    },
    (e) => {
      console.error(e.code == 'EADDRINUSE' ? `port ${port} is in use: PORT=5174 npm run demo` : e);
      process.exit(1);
    },
  );
}
