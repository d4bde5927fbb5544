// OTLP/HTTP JSON on /v1/logs and /v1/metrics, decoded by the OpenTelemetry Collector's rules:
// POST only (405), application/json only (415), a body with its resourceLogs / resourceMetrics
// wrapper and ids of the right length (400), CORS as the Collector's receiver answers it for
// `cors.allowed_origins` (the origin echoed, credentials allowed). Log records are deduplicated
// by `telltale.event.id`; a record without `eventName` or a value without exactly one variant is
// rejected through `partialSuccess`, as a backend would.

const PATHS = { '/v1/logs': 'resourceLogs', '/v1/metrics': 'resourceMetrics' };
/** Hex lengths of trace and span ids. */
const ID_LENGTH = { traceId: 32, spanId: 16 };
const VARIANTS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'];

/** An allowed_origins pattern (`https://*.example.com`) as a test of an Origin. */
const originTest = (pattern) => {
  const re = new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
  return (origin) => re.test(origin);
};

/** Why a body breaks the Collector's decoding (400), or undefined. */
const invalidBody = (body, wrapper) => {
  if (!body || typeof body != 'object' || !Array.isArray(body[wrapper])) return `the body has no ${wrapper} array`;
  const stack = [body];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v != 'object') continue;
    for (const [key, id] of Object.entries(ID_LENGTH))
      if (typeof v[key] == 'string' && v[key] != '' && !new RegExp(`^[0-9a-fA-F]{${id}}$`).test(v[key])) return `${key} must be ${id} hex characters`;
    stack.push(...Object.values(v));
  }
};

/** Whether an AnyValue has exactly one variant (and so do the values it holds). */
const oneVariant = (value) => {
  const keys = Object.keys(value || {});
  if (keys.length != 1 || !VARIANTS.includes(keys[0])) return false;
  if (keys[0] == 'arrayValue') return (value.arrayValue.values || []).every(oneVariant);
  if (keys[0] == 'kvlistValue') return (value.kvlistValue.values || []).every((kv) => oneVariant(kv.value));
  return true;
};

/**
 * @param {{ allowedOrigins?: string[], faulted?: (req, res) => boolean, onLogs?: (app, records) => void,
 *   onMetrics?: (app, metrics) => void }} o
 *   faulted: answers the ingest's fault mode of the moment, true when it did
 */
export const createOtlpReceiver = ({ allowedOrigins = [], faulted = () => false, onLogs = () => {}, onMetrics = () => {} } = {}) => {
  const allowed = allowedOrigins.map(originTest);
  const seen = new Set();
  const logs = [];
  const metrics = [];
  const totals = { requests: 0, rejectedRecords: 0, duplicates: 0 };

  const cors = (req) => {
    const origin = req.headers.origin;
    return origin && allowed.some((test) => test(origin))
      ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' }
      : {};
  };
  const answer = (req, res, status, body, type = 'text/plain; charset=utf-8') => res.writeHead(status, { ...cors(req), 'content-type': type }).end(body);

  const preflight = (req, res) => {
    const headers = cors(req);
    if (headers['access-control-allow-origin'])
      Object.assign(headers, {
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': req.headers['access-control-request-headers'] || '',
        'access-control-max-age': '7200',
      });
    res.writeHead(204, headers).end();
  };

  const receive = (req, res, wrapper, text) => {
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return answer(req, res, 400, 'the body is not JSON');
    }
    const reason = invalidBody(body, wrapper);
    if (reason) return answer(req, res, 400, reason);
    let rejected = 0;
    for (const resource of body[wrapper]) {
      const app = resource.resource?.attributes?.find((a) => a.key == 'service.name')?.value?.stringValue;
      if (wrapper == 'resourceMetrics') {
        const list = (resource.scopeMetrics || []).flatMap((s) => s.metrics || []);
        metrics.push(...list.map((metric) => ({ app, metric })));
        onMetrics(app, list);
        continue;
      }
      const fresh = [];
      for (const record of (resource.scopeLogs || []).flatMap((s) => s.logRecords || [])) {
        const attributes = record.attributes || [];
        if (!record.eventName || !attributes.every((a) => oneVariant(a.value))) {
          rejected++;
          continue;
        }
        const id = attributes.find((a) => a.key == 'telltale.event.id')?.value?.stringValue;
        if (id && seen.has(id)) totals.duplicates++;
        else {
          if (id) seen.add(id);
          fresh.push(record);
        }
      }
      logs.push(...fresh.map((record) => ({ app, resource: resource.resource, record })));
      onLogs(app, fresh);
    }
    totals.rejectedRecords += rejected;
    const field = wrapper == 'resourceLogs' ? 'rejectedLogRecords' : 'rejectedDataPoints';
    answer(req, res, 200, JSON.stringify(rejected ? { partialSuccess: { [field]: String(rejected), errorMessage: 'records without eventName or with a malformed value' } } : {}), 'application/json');
  };

  /** Handles /v1/logs and /v1/metrics; false for any other path. */
  const handle = (req, res) => {
    const wrapper = PATHS[new URL(req.url, 'http://x').pathname];
    if (!wrapper) return false;
    if (req.method == 'OPTIONS') return preflight(req, res), true;
    if (req.method != 'POST') return res.writeHead(405, { ...cors(req), allow: 'POST' }).end('405 method not allowed, supported: [POST]'), true;
    const type = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    if (type != 'application/json') return req.resume(), answer(req, res, 415, '415 unsupported media type, supported: [application/json]'), true;
    totals.requests++;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => faulted(req, res) || receive(req, res, wrapper, Buffer.concat(chunks).toString('utf8')));
    return true;
  };

  return { handle, logs: () => logs.slice(), metrics: () => metrics.slice(), totals: () => ({ ...totals }) };
};
