// The reference ingest server: what a telltale backend must do, in one file.
// It checks every body against the wire format, dedupes by event id, answers
// CORS, keeps what it stored in memory and in a JSON Lines file, and pushes it
// to the demo panel with server-sent events. Fault modes let the page see how
// the SDK copes with a failing backend. Everything it keeps is bounded: the dedupe ids
// (recentIds.mjs), the file (jsonlFile.mjs), the events in memory and the listeners.
import { gunzip } from 'node:zlib';
import { createBaselines } from './baselines.mjs';
import { jsonlFile } from './jsonlFile.mjs';
import { createOtlpReceiver } from './otlpReceiver.mjs';
import { createPrometheus } from './prometheus.mjs';
import { recentIds } from './recentIds.mjs';
import { invalidReason } from './wire.mjs';

export const MAX_BODY_BYTES = 1024 * 1024;
/** How long a 429 asks the client to wait, in seconds. */
export const RETRY_AFTER_S = 10;
/** How long a hung request is held before its socket is dropped, in ms. */
const HANG_MS = 30_000;
/** Events kept in memory for the GET endpoints (counts cover everything). */
const KEEP = 5_000;
/** Most server-sent-event listeners at once; more are refused with 503 and counted. */
export const MAX_STREAMS = 16;

export const FAULTS = ['normal', '503', '429', '400', 'hang', 'offline'];

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Retry-After',
};

/**
 * @param {{
 *   dataDir?: string, log?: (line: string) => void, isOwn?: (req: import('node:http').IncomingMessage) => boolean,
 *   maxStreams?: number, maxFileBytes?: number, dedupe?: { windowMs?: number, maxIds?: number },
 *   allowedOrigins?: string[],
 * }} [o]
 *   dataDir: where events.jsonl is appended (none: memory only);
 *   isOwn: whether a request comes from the server's own pages (`/api/*` answers only those;
 *   startDemo passes ownOrigin.mjs's check);
 *   allowedOrigins: the Collector's `cors.allowed_origins` for the OTLP paths
 */
export const createIngest = ({
  dataDir,
  log = () => {},
  isOwn = () => true,
  maxStreams = MAX_STREAMS,
  maxFileBytes,
  dedupe,
  allowedOrigins = ['http://127.0.0.1:*', 'http://localhost:*'],
} = {}) => {
  const seen = recentIds(dedupe);
  const stored = [];
  const totals = {
    requests: 0, accepted: 0, rejected: 0, tooLarge: 0, faulted: 0, received: 0, duplicates: 0, stored: 0,
    // refused: SSE listeners over the cap, `/api/*` requests from another origin or host name
    streamsRefused: 0, foreignRefused: 0,
  };
  const byType = {};
  const lastReasons = [];
  const streams = new Set();
  const hung = new Set();
  const baselines = createBaselines();
  let fault = 'normal';
  const file = dataDir && jsonlFile(dataDir, { maxBytes: maxFileBytes });
  // OTLP/HTTP beside the telltale wire, both counted in GET /metrics
  const prometheus = createPrometheus();
  // the panel hears of OTLP arrivals too: log records by their event id, summaries by model and time
  const onLogs = (app, records) => {
    prometheus.otlpLogs(app, records);
    const ids = records.map((r) => r.attributes?.find((a) => a.key == 'telltale.event.id')?.value?.stringValue);
    push('otlp', { path: '/v1/logs', ids, summary: summary() });
  };
  const onMetrics = (app, metrics) => {
    prometheus.otlpMetrics(app, metrics);
    const calls = metrics.find((m) => m.name == 'telltale.model.calls')?.sum?.dataPoints || [];
    const summaries = calls.map((p) => ({ model: p.attributes?.find((a) => a.key == 'telltale.model.name')?.value?.stringValue, timeUnixNano: p.timeUnixNano }));
    push('otlp', { path: '/v1/metrics', summaries, summary: summary() });
  };
  const otlp = createOtlpReceiver({ allowedOrigins, faulted: (req, res) => faulted(req, res), onLogs, onMetrics });

  const push = (kind, data) => {
    const msg = `event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of streams) res.write(msg);
  };

  const summary = () => ({
    fault,
    totals: { ...totals },
    byType: { ...byType },
    reasons: lastReasons.slice(),
    // OTLP/HTTP on /v1/logs and /v1/metrics
    otlp: { ...otlp.totals(), logRecords: otlp.logs().length, metrics: otlp.metrics().length },
    // what is kept, against its bounds; `file.droppedRows` counts events rotated away
    kept: { dedupe: seen.stats(), streams: streams.size, maxStreams, file: file ? file.stats() : null },
  });

  const answer = (res, status, body = '', headers = {}) => {
    res.writeHead(status, { ...CORS, 'content-type': 'text/plain; charset=utf-8', ...headers }).end(body);
  };

  const refuse = (res, reason) => {
    totals.rejected++;
    lastReasons.unshift(reason);
    lastReasons.length = Math.min(lastReasons.length, 5);
    log(`400 ${reason}`);
    push('request', { status: 400, reason, summary: summary() });
    answer(res, 400, reason);
  };

  /** A body that passed the size check: validate, dedupe, write, then answer 200. */
  const accept = (res, text) => {
    const reason = invalidReason(text);
    if (reason) return refuse(res, reason);
    const { events, ...head } = JSON.parse(text);
    const at = Date.now();
    // ids are reserved at once, so a retry racing this request counts as a duplicate
    const fresh = [];
    for (const e of events) if (seen.add(e.id)) fresh.push(e);
    const rows = fresh.map((e) => ({ receivedAt: at, batch: head.batch, session: head.session, app: head.app, ...e }));
    const keep = () => {
      totals.received += events.length;
      totals.duplicates += events.length - fresh.length;
      totals.stored += fresh.length;
      totals.accepted++;
      for (const e of fresh) byType[e.type] = (byType[e.type] || 0) + 1;
      for (const e of fresh) baselines.add(e);
      prometheus.telltaleEvents(head.app?.name, fresh);
      stored.push(...rows);
      if (stored.length > KEEP) stored.splice(0, stored.length - KEEP);
      log(`200 batch ${head.batch}: ${events.length} events, ${fresh.length} new`);
      push('batch', { status: 200, batch: head.batch, dropped: head.dropped, events: fresh, duplicates: events.length - fresh.length, summary: summary() });
      answer(res, 200);
    };
    if (!file || !rows.length) return keep();
    // 200 only once the events are on disk: a backend acknowledges what it kept
    file.append(rows, (err) => {
      if (!err) return keep();
      for (const e of fresh) seen.delete(e.id);
      log(`cannot write ${file.path}: ${err.message}`);
      answer(res, 503, 'storage failed, retry');
    });
  };

  /** Answers the fault of the moment; true when it did. */
  const faulted = (req, res) => {
    if (fault == 'normal' || fault == '400') return false;
    totals.faulted++;
    push('request', { status: fault, summary: summary() });
    if (fault == 'offline') return req.socket.destroy(), true;
    if (fault == 'hang') {
      const drop = () => (hung.delete(drop), clearTimeout(timer), req.socket.destroy());
      const timer = setTimeout(drop, HANG_MS);
      hung.add(drop);
      return true;
    }
    if (fault == '429') answer(res, 429, 'slow down', { 'retry-after': String(RETRY_AFTER_S) });
    else answer(res, 503, 'unavailable');
    return true;
  };

  const post = (req, res) => {
    totals.requests++;
    const chunks = [];
    let size = 0;
    let over = false;
    req.on('data', (c) => {
      if (over) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        totals.tooLarge++;
        push('request', { status: 413, summary: summary() });
        // answer now and close: reading a body we refuse anyway is wasted work
        res.writeHead(413, { ...CORS, connection: 'close' }).end('body over 1 MB');
        req.resume();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (over || faulted(req, res)) return;
      if (fault == '400') return refuse(res, 'fault mode 400: the demo refuses every batch');
      const raw = Buffer.concat(chunks);
      if (!/gzip/.test(req.headers['content-encoding'] || '')) return accept(res, raw.toString('utf8'));
      gunzip(raw, { maxOutputLength: MAX_BODY_BYTES }, (err, out) =>
        err ? refuse(res, 'body is not valid gzip or inflates over 1 MB') : accept(res, out.toString('utf8')),
      );
    });
  };

  const json = (res, data, headers = {}) =>
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(data));

  const setFault = (mode) => {
    if (!FAULTS.includes(mode)) return false;
    fault = mode;
    // leaving hang: the held requests fail as a timed-out proxy would
    if (mode != 'hang') for (const drop of [...hung]) drop();
    log(`fault mode: ${mode}`);
    push('fault', { fault, summary: summary() });
    return true;
  };

  /** Handles the ingest and panel routes; false for any other path. */
  const handle = (req, res, url = new URL(req.url, 'http://x')) => {
    const path = url.pathname;
    if (otlp.handle(req, res)) return true;
    if (path == '/metrics') return res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(prometheus.text()), true;
    if (path == '/ingest') {
      if (req.method == 'POST') return post(req, res), true;
      if (req.method == 'OPTIONS')
        return (
          res
            .writeHead(204, {
              ...CORS,
              'access-control-allow-methods': 'POST',
              'access-control-allow-headers': 'content-type, content-encoding',
              'access-control-max-age': '600',
            })
            .end(),
          true
        );
      return answer(res, 405, 'POST only', { allow: 'POST, OPTIONS' }), true;
    }
    if (path == '/v1/baselines' && req.method == 'GET') return json(res, baselines.serve(), CORS), true;
    if (path.startsWith('/api/') && !isOwn(req)) {
      totals.foreignRefused++;
      log(`403 ${req.method} ${path} from ${req.headers.origin || req.headers.host}`);
      return res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('only the demo page may use /api/'), true;
    }
    if (path == '/api/summary') return json(res, summary()), true;
    if (path == '/api/events') {
      const session = url.searchParams.get('session');
      const type = url.searchParams.get('type');
      return json(res, stored.filter((e) => (!session || e.session == session) && (!type || e.type == type))), true;
    }
    if (path == '/api/stream') {
      if (streams.size >= maxStreams) {
        totals.streamsRefused++;
        return res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' }).end(`at most ${maxStreams} listeners`), true;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`event: hello\ndata: ${JSON.stringify(summary())}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return true;
    }
    if (path == '/api/fault' && req.method == 'POST') {
      const mode = url.searchParams.get('mode');
      if (!setFault(mode)) return answer(res, 400, `mode must be one of ${FAULTS.join(', ')}`), true;
      return json(res, summary()), true;
    }
    return false;
  };

  return {
    handle,
    otlp,
    setFault,
    summary,
    events: () => stored.slice(),
    close() {
      for (const drop of [...hung]) drop();
      for (const res of streams) res.end();
    },
  };
};
