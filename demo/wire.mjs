// The wire format v1 (SPEC §4) as a backend checks it: returns the reason a body
// is refused, or undefined when it is a valid batch.

const str = (v) => typeof v == 'string' && v !== '';
const num = (v) => typeof v == 'number' && Number.isFinite(v);
const oneOf = (...allowed) => (v) => allowed.includes(v);
const obj = (v) => typeof v == 'object' && v !== null && !Array.isArray(v);

// Required fields per event type, each with its check and what it must be.
const S = [str, 'a non-empty string'];
const N = [num, 'a number'];
const REQUIRED = {
  // SPEC names LCP, INP, CLS, FCP, TTFB; other metrics (TBT from long tasks) are let through
  vital: {
    name: S,
    value: N,
    rating: [oneOf('good', 'needs-improvement', 'poor'), 'good, needs-improvement or poor'],
  },
  interaction: { action: S, target: S },
  route: { from: [(v) => typeof v == 'string', 'a string'], to: S },
  error: { message: [(v) => typeof v == 'string', 'a string'], source: S },
  inference: {
    model: S,
    durationMs: N,
    ok: [(v) => typeof v == 'boolean', 'true or false'],
    source: [oneOf('model', 'fallback'), 'model or fallback'],
  },
  inference_summary: {
    model: S,
    count: N,
    errors: N,
    latency: [(v) => obj(v) && num(v.p50) && num(v.p95) && num(v.p99), 'an object with numbers p50, p95, p99'],
    drift: [(v) => obj(v) && ['none', 'medium', 'high'].includes(v.severity), 'an object whose severity is none, medium or high'],
  },
  alert: {
    rule: S,
    severity: [oneOf('warning', 'critical'), 'warning or critical'],
    value: N,
    threshold: N,
  },
  // SPEC lists `data` too, but track(name) without data sends none: accepted when absent
  custom: { name: S, data: [(v) => v === undefined || obj(v), 'an object when present'] },
};

const HEAD = {
  batch: S,
  sentAt: N,
  sdk: S,
  session: S,
  app: [(v) => obj(v) && str(v.name), 'an object with a non-empty name'],
  events: [(v) => Array.isArray(v) && v.length > 0, 'a non-empty array'],
};

const EVENT = { id: S, t: N, page: [(v) => typeof v == 'string', 'a string'] };

const check = (o, rules, where) => {
  for (const key in rules) {
    const [ok, what] = rules[key];
    if (!ok(o[key])) return `${where}${key} must be ${what}, got ${JSON.stringify(o[key]) ?? 'nothing'}`;
  }
};

/** Why `text` is not a valid v1 batch, or undefined when it is. */
export const invalidReason = (text) => {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  if (!obj(body)) return 'body must be a JSON object';
  if (body.v !== 1) return `unsupported wire format version ${JSON.stringify(body.v) ?? '(none)'}: v must be 1`;
  const head = check(body, HEAD, '');
  if (head) return head;
  if (body.user !== undefined && !/^[0-9a-f]{64}$/.test(body.user)) return 'user must be a SHA-256 hex digest';
  for (let i = 0; i < body.events.length; i++) {
    const e = body.events[i];
    const where = `events[${i}].`;
    if (!obj(e)) return `events[${i}] must be an object`;
    const rules = REQUIRED[e.type];
    if (!rules) return `${where}type must be one of ${Object.keys(REQUIRED).join(', ')}, got ${JSON.stringify(e.type)}`;
    const bad = check(e, EVENT, where) || check(e, rules, `${where}(${e.type}) `);
    if (bad) return bad;
  }
};
