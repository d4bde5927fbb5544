// @vitest-environment node
// The demo server against the requests an attacker sends: raw paths (fetch would normalize
// them), encoded traversals, a malformed escape, and control requests from another site.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../../demo/server.mjs';

const ROOT = join(__dirname, '../..');

let demo: Awaited<ReturnType<typeof startDemo>>;
let dataDir: string;
let port: number;

beforeAll(async () => {
  // inside the repository, as the demo's own .demo-data is: a traversal could reach it
  dataDir = mkdtempSync(join(ROOT, '.demo-data-test-'));
  demo = await startDemo({ port: 0, quiet: true, dataDir });
  port = Number(new URL(demo.url).port);
  const event = { id: 'traversal-1', type: 'custom', t: 1, page: '/', name: 'stored', data: {} };
  const batch = { v: 1, batch: 'b1', sentAt: 1, sdk: 'telltale/0', app: { name: 'a' }, session: 's', events: [event] };
  expect((await fetch(demo.url + '/ingest', { method: 'POST', body: JSON.stringify(batch) })).status).toBe(200);
});
afterAll(async () => {
  await demo.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Sends `path` exactly as written, with these headers; resolves with the status and body. */
const raw = (method: string, path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string }>((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode!, body }));
    });
    req.on('error', fail);
    req.end();
  });

describe('demo server: paths', () => {
  it.each([
    '/demo/..%2F.git%2Fconfig',
    '/demo/..%2Fpackage.json',
    '/dist/..%2F{data}%2Fevents.jsonl',
    '/demo/%2E%2E/{data}/events.jsonl',
    '/dist/%2e%2e%2fpackage.json',
    '/demo/..%5Cpackage.json',
    '/demo/..%5C..%5Cpackage.json',
    '/demo/%252e%252e%252fpackage.json',
    '/demo/..%252Fpackage.json',
    '/demo/../package.json',
    '/node_modules/web-vitals/..%2F..%2Fpackage.json',
    '/demo/%00../package.json',
  ])('GET %s does not serve a file outside the served folders', async (path) => {
    const r = await raw('GET', path.replace('{data}', basename(dataDir)));
    expect(r.status).toBe(404);
    expect(r.body).not.toMatch(/"devDependencies"|\[core\]|"receivedAt"/);
  });

  it('still serves what it should, encoded or not', async () => {
    expect((await raw('GET', '/demo/app.js')).status).toBe(200);
    expect((await raw('GET', '/demo/%61pp.js')).status).toBe(200);
    expect((await raw('GET', '/spa/models')).status).toBe(200);
  });

  it('answers a malformed path with 400 and lives on', async () => {
    expect((await raw('GET', '/%')).status).toBe(400);
    expect((await raw('GET', '/demo/%E0%A4%A')).status).toBe(400);
    expect((await raw('GET', '/%')).status).toBe(400);
    expect((await raw('GET', '/demo/app.js')).status).toBe(200);
  });
});

describe('demo server: /api/* answers its own page only', () => {
  const own = () => ({ host: `127.0.0.1:${port}` });

  it('refuses a cross-site POST /api/fault (CSRF) and leaves the mode as it was', async () => {
    const before = demo.ingest.summary().totals.foreignRefused;
    const r = await raw('POST', '/api/fault?mode=503', { ...own(), origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(demo.ingest.summary().fault).toBe('normal');
    // another local site (another port) is another origin
    expect((await raw('POST', '/api/fault?mode=503', { ...own(), origin: 'http://localhost:3000' })).status).toBe(403);
    expect((await raw('POST', '/api/fault?mode=503', { ...own(), origin: 'null' })).status).toBe(403);
    expect(demo.ingest.summary().totals.foreignRefused - before).toBe(3);
  });

  it('refuses a request whose Host is another name (DNS rebinding to 127.0.0.1)', async () => {
    const rebound = { host: `evil.example:${port}` };
    expect((await raw('GET', '/api/events', rebound)).status).toBe(403);
    expect((await raw('GET', '/api/summary', rebound)).status).toBe(403);
    expect((await raw('GET', '/api/stream', rebound)).status).toBe(403);
    // its own page fetching same-origin sends the same Origin as Host
    expect((await raw('POST', '/api/fault?mode=normal', { host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it('answers its own page (no Origin on a same-origin GET, or its own)', async () => {
    expect((await raw('GET', '/api/events', own())).status).toBe(200);
    expect((await raw('GET', '/api/summary', { ...own(), origin: `http://127.0.0.1:${port}` })).status).toBe(200);
  });

  it('keeps the ingest endpoint open to cross-origin pages', async () => {
    const r = await raw('OPTIONS', '/ingest', { host: `evil.example:${port}`, origin: 'https://shop.example', 'access-control-request-method': 'POST' });
    expect(r.status).toBe(204);
    const post = await new Promise<number>((done) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/ingest', headers: { origin: 'https://shop.example' } }, (res) => done(res.statusCode!));
      req.end('{"v":1,');
    });
    // judged on its body (400: not JSON), not refused for its origin
    expect(post).toBe(400);
  });
});
