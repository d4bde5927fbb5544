// Every field the demo reads from the SDK (stats(), events, the client's methods)
// is read here and nowhere else, so a change of shape is fixed in one file.

/** What the running SDK can do; parts land on their own branches. */
export const capabilities = (tt) => ({
  collect: typeof tt.setConsent == 'function',
  model: typeof tt.wrapInference == 'function',
  baseline: typeof tt.setBaseline == 'function',
});

const n = (v) => (typeof v == 'number' && isFinite(v) ? v : 0);

/** stats() as the panel shows it. */
export const readStats = (s = {}) => ({
  disabled: s.disabled || '',
  buffer: s.buffer || 'memory',
  buffered: n(s.buffered),
  inFlight: n(s.inFlight),
  sent: n(s.sent),
  retrying: n(s.retrying),
  rejected: n(s.rejected),
  rateLimitedUntil: n(s.rateLimitedUntil),
  // dropped is { reason: count }; an older shape may be a plain number
  dropped: typeof s.dropped == 'object' && s.dropped ? { ...s.dropped } : { count: n(s.dropped) },
  // removed by the privacy gate before storage (sampling, consent, beforeSend, error cap)
  removed: { ...s.removed },
});

const VITAL_UNITS = { CLS: '' };
/** A `vital` event: { name, value, rating, text }. */
export const readVital = (e) => ({
  name: e.name,
  rating: e.rating || 'good',
  text: e.name in VITAL_UNITS ? n(e.value).toFixed(3) : `${Math.round(n(e.value))} ms`,
});

/** One line of the activity stream, for interaction, route, error and custom events; undefined for the rest. */
export const readActivity = (e) => {
  switch (e.type) {
    case 'interaction':
      return { kind: e.rage ? 'rage' : 'interaction', text: `${e.action} → ${e.target}` };
    case 'route':
      return { kind: 'route', text: `${e.from || '(start)'} → ${e.to}` };
    case 'error':
      return { kind: 'error', text: `${e.message}${e.repeats ? ` (repeated ×${e.repeats})` : ''} · ${e.source}` };
    case 'custom':
      return { kind: 'custom', text: `track("${e.name}")${e.data ? ' ' + JSON.stringify(e.data).slice(0, 60) : ''}` };
  }
};

/** An `inference_summary` event, flattened. */
export const readSummary = (e) => ({
  model: e.model,
  t: e.t,
  count: n(e.count),
  errors: n(e.errors),
  fallbacks: n(e.fallbacks),
  p50: n(e.latency?.p50),
  p95: n(e.latency?.p95),
  p99: n(e.latency?.p99),
  drift: e.drift?.severity || 'none',
  meanShiftZ: e.drift?.meanShiftZ,
  varianceRatio: e.drift?.varianceRatio,
  latencyZ: e.drift?.latencyZ,
  health: e.health?.score,
  state: e.health?.status || '',
});

/** An `inference` event: { model, ms, ok, fallback }. */
export const readInference = (e) => ({ model: e.model, ms: n(e.durationMs), ok: e.ok !== false, fallback: e.source == 'fallback' });

/** An `alert` event: key (one per model and rule), whether it is open, and what to show. */
export const readAlert = (e) => ({
  key: `${e.model || ''}/${e.rule}`,
  open: !(e.state == 'cleared' || e.state == 'resolved' || e.status == 'cleared' || e.status == 'resolved' || e.cleared === true || e.resolved === true),
  severity: e.severity,
  text: `${e.model ? e.model + ': ' : ''}${e.rule} = ${fmt(e.value)} (threshold ${fmt(e.threshold)})`,
});

const fmt = (v) => (typeof v == 'number' ? +v.toFixed(v < 1 ? 3 : 1) : String(v));

/** A `batch` listener value: { status, events, bytes, via }. */
export const readBatch = (b) => ({ status: b.status, events: n(b.events), bytes: n(b.bytes), via: b.via || 'fetch' });
