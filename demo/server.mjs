// `npm run demo`: the demo pages, the SDK builds, the few node_modules files the
// pages import, and the reference ingest server, all on 127.0.0.1.
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createIngest } from './ingest.mjs';

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
 * Serves files and the reference ingest (/ingest) on one origin, as a site and its
 * backend would be. Resolves once it listens.
 * @param {{ fileOf: (path: string) => string | undefined, port?: number, host?: string, dataDir?: string, log?: (line: string) => void }} o
 *   fileOf: the file that answers a (decoded) URL path; none: 404
 */
export const serveWithIngest = ({ fileOf, port = 5173, host = '127.0.0.1', dataDir, log }) => {
  const ingest = createIngest({ dataDir, log });
  const server = createServer(async (req, res) => {
    if (ingest.handle(req, res)) return;
    const file = fileOf(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    try {
      if (!file || !(await stat(file)).isFile()) throw 0;
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
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
 * Starts the demo server. Resolves once it listens.
 * @param {{ port?: number, host?: string, dataDir?: string, quiet?: boolean }} [o]
 */
export const startDemo = ({ port = 5173, host = '127.0.0.1', dataDir = join(ROOT, '.demo-data'), quiet = false } = {}) => {
  const log = quiet ? () => {} : (line) => console.log(`${new Date().toLocaleTimeString()}  ${line}`);
  const fileOf = (path) => {
    const rel = pageOf(path) || path.slice(1);
    const file = join(ROOT, rel);
    return SERVED.some((p) => rel.startsWith(p)) && file.startsWith(ROOT + sep) ? file : undefined;
  };
  return serveWithIngest({ fileOf, port, host, dataDir, log });
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
