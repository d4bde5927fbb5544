// Real-browser test kit: Debian's Chromium driven by playwright-core, a static
// site server and a recording, fault-injecting ingest server, all on 127.0.0.1.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ROOT = resolve(import.meta.dirname, '../..');
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh Chromium profile (empty IndexedDB, storage). */
export const launch = async (): Promise<Browser> => {
  const dir = mkdtempSync(join(tmpdir(), 'telltale-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

interface Listening {
  url: string;
  close(): Promise<void>;
}

const listen = (handler: Parameters<typeof createServer>[1]): Promise<Listening & { port: number }> =>
  new Promise((done) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      done({
        port,
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((closed) => {
            server.closeAllConnections();
            server.close(() => closed());
          }),
      });
    });
  });

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.css': 'text/css',
  '.onnx': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

export interface Site extends Listening {
  /** Serves `html` at `path` (with optional response headers). */
  page(path: string, html: string, headers?: Record<string, string>): string;
}

/** Serves the repository's files (dist/, node_modules/, ...) plus pages a test defines. */
export const startSite = async (): Promise<Site> => {
  const pages = new Map<string, { html: string; headers: Record<string, string> }>();
  const s = await listen((req, res) => {
    const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
    const defined = pages.get(path);
    if (defined) {
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store', ...defined.headers });
      return res.end(defined.html);
    }
    const file = join(ROOT, path);
    try {
      if (!file.startsWith(ROOT) || !statSync(file).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return {
    ...s,
    page(path, html, headers = {}) {
      pages.set(path, { html, headers });
      return s.url + path;
    },
  };
};

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed envelope, when the body was JSON. */
  json?: { batch: string; events: { id: string; type: string; [k: string]: unknown }[]; [k: string]: unknown };
  status: number;
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Destroy the socket instead of answering. */
  destroy?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface Ingest extends Listening {
  endpoint: string;
  requests: Received[];
  /** Decides each POST's answer; default 200. */
  reply: (req: Received) => Reply;
  posts(): Received[];
  /** Every event received, in order, duplicates included. */
  events(): { id: string; type: string; [k: string]: unknown }[];
  waitFor<T>(check: () => T | undefined | false, timeoutMs?: number): Promise<T>;
}

/** The ingest endpoint, on its own origin so every page is cross-origin to it. */
export const startIngest = async (): Promise<Ingest> => {
  const requests: Received[] = [];
  const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' };
  const ingest = {} as Ingest;
  const s = await listen((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const r: Received = { method: req.method!, path: req.url!, headers: req.headers, body, status: 0, at: Date.now() };
      try {
        r.json = JSON.parse(body);
      } catch {
        // kept as text
      }
      requests.push(r);
      if (req.method == 'OPTIONS') {
        r.status = 204;
        return res
          .writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': '*' })
          .end();
      }
      const answer = ingest.reply(r);
      r.status = answer.destroy ? 0 : answer.status;
      setTimeout(() => {
        if (answer.destroy) return req.socket.destroy();
        res.writeHead(answer.status, { ...cors, ...answer.headers }).end();
      }, answer.delayMs ?? 0);
    });
  });
  return Object.assign(ingest, s, {
    endpoint: s.url + '/ingest',
    requests,
    reply: () => ({ status: 200 }),
    posts: () => requests.filter((r) => r.method == 'POST'),
    events: () => requests.flatMap((r) => (r.method == 'POST' && r.json?.events) || []),
    waitFor: async <T>(check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = check();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms; ingest saw ${requests.length} requests`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  });
};

/** Makes the page report `hidden` and fires visibilitychange (Chromium headless never hides a page by itself). */
export const hide = () => {
  Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
};
