// The live panel: what the client did (tt.on, tt.stats) beside what the server
// stored (server-sent events from the reference ingest). Plain DOM and SVG.
import { readActivity, readAlert, readBatch, readInference, readStats, readSummary, readVital } from './fields.js';

// the five of SPEC §4, and total blocking time from the long-task collector
const VITALS = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB', 'TBT'];
const REASONS = ['age', 'size', 'count', 'rate', 'rejected', 'invalid'];
const STREAM = 10;

export const h = (tag, attrs = {}, ...kids) => {
  const el = document.createElement(tag);
  for (const k in attrs) k.startsWith('on') ? (el[k] = attrs[k]) : el.setAttribute(k, attrs[k]);
  el.append(...kids.flat().filter((k) => k != null));
  return el;
};

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const kb = (b) => (b < 1024 ? `${b} B` : `${(b / 1024).toFixed(1)} KB`);
const ms = (v) => (v >= 100 ? Math.round(v) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const clock = (t) => new Date(t).toLocaleTimeString([], { hour12: false });
const z = (v) => (typeof v == 'number' ? v.toFixed(1) : '–');

/** p50/p95/p99 over time as three lines. */
const chart = (points) => {
  const W = 320;
  const H = 84;
  if (!points.length) return `<svg viewBox="0 0 ${W} ${H}" class="chart"><text x="${W / 2}" y="${H / 2}" class="muted" text-anchor="middle">waiting for the first summary…</text></svg>`;
  // log scale: a slow spike must not flatten the normal calls into the axis
  const lo = Math.max(0.01, Math.min(...points.map((p) => p.p50)) / 1.5);
  const hi = Math.max(lo * 10, ...points.map((p) => p.p99)) * 1.3;
  const x = (i) => (points.length == 1 ? W / 2 : 6 + (i * (W - 12)) / (points.length - 1));
  const y = (v) => H - 14 - (Math.log(Math.max(v, lo) / lo) / Math.log(hi / lo)) * (H - 24);
  const line = (k) =>
    `<polyline class="l-${k}" points="${points.map((p, i) => `${x(i).toFixed(1)},${y(p[k]).toFixed(1)}`).join(' ')}"/>` +
    points.map((p, i) => `<circle class="l-${k}" r="2.2" cx="${x(i).toFixed(1)}" cy="${y(p[k]).toFixed(1)}"/>`).join('');
  return `<svg viewBox="0 0 ${W} ${H}" class="chart">
    <line x1="0" x2="${W}" y1="${H - 14}" y2="${H - 14}" class="axis"/>
    <text x="2" y="10" class="muted">${ms(hi)} ms</text><text x="2" y="${H - 2}" class="muted">${ms(lo)} ms · log scale</text>
    ${line('p99')}${line('p95')}${line('p50')}
    <text x="${W - 2}" y="${H - 2}" text-anchor="end" class="legend"><tspan class="t-p50">p50</tspan> <tspan class="t-p95">p95</tspan> <tspan class="t-p99">p99</tspan></text>
  </svg>`;
};

/** How an OTLP data point names a summary: its model and its time as `timeUnixNano`. */
const summaryKey = (model, timeUnixNano) => `${model}@${timeUnixNano}`;
const WIRES = { telltale: 'telltale JSON → /ingest', otlp: 'OTLP/HTTP JSON → /v1/logs, /v1/metrics' };

/** @param wire 'telltale' or 'otlp': the protocol this load sends with */
export const createPanel = (root, tt, caps, seen, wire = 'telltale') => {
  const state = {
    mine: new Map(), // event id -> type, for every event this page created
    stored: new Set(), // of those, the ids the server stored
    summaryIds: new Map(), // summaryKey -> event id: OTLP metrics carry no event id
    vitals: {},
    activity: [], // { e: as the page created it, stored: as the server stored it }
    summaries: {}, // model -> readSummary[]
    lastCall: {}, // model -> readInference
    alerts: new Map(),
    batches: [],
    server: { totals: {}, fault: 'normal', reasons: [] },
    connected: false,
  };

  root.innerHTML = `
    <section class="card span2" data-testid="vitals"><h2>Web vitals <small>web-vitals, rated by Google's thresholds</small></h2>
      <div class="vitals">${VITALS.map((v) => `<div class="vital" data-vital="${v}"><b>${v}</b><span>—</span></div>`).join('')}</div>
      <p class="note" data-note="vitals"></p></section>
    <section class="card span2" data-testid="model"><h2>Model monitoring <small data-k="model-meta"></small></h2><div data-k="model"></div></section>
    <section class="card" data-testid="delivery"><h2>Delivery <small data-k="buffer"></small> <small class="pill" data-testid="wire">${WIRES[wire]}</small></h2><div data-k="delivery"></div></section>
    <section class="card" data-testid="ledger"><h2>Client sent vs server stored</h2><div data-k="ledger"></div></section>
    <section class="card span2" data-testid="stream"><h2>Interactions, routes, errors</h2><ol class="stream" data-k="stream"></ol></section>`;
  const $ = (k) => root.querySelector(`[data-k="${k}"]`);

  // ---- what the client does
  const onEvent = (e) => {
    state.mine.set(e.id, e.type);
    // as the OTLP encoding writes the time: whole microseconds, in nanoseconds
    if (e.type == 'inference_summary') state.summaryIds.set(summaryKey(e.model, `${Math.round(e.t * 1000) || 0}000`), e.id);
    if (e.type == 'vital') state.vitals[e.name] = readVital(e);
    else if (e.type == 'inference_summary') (state.summaries[e.model] ||= []).push(readSummary(e)), state.summaries[e.model].splice(0, state.summaries[e.model].length - 30);
    else if (e.type == 'inference') state.lastCall[e.model] = readInference(e);
    else if (e.type == 'alert') onAlert(e);
    if (readActivity(e)) state.activity.unshift({ e: { ...e } }), state.activity.splice(STREAM);
    dirty();
  };
  const onAlert = (e) => {
    const a = readAlert(e);
    a.open ? state.alerts.set(a.key, a) : state.alerts.delete(a.key);
  };
  tt.on('batch', (b) => {
    state.batches.unshift({ at: Date.now(), ...readBatch(b) });
    state.batches.splice(6);
    dirty();
  });

  // ---- what the server stored
  /** `events` as the server stored them, or `{ id }` alone for an OTLP arrival (the row then keeps the page's text). */
  const markStored = (events) => {
    for (const e of events) {
      if (!state.mine.has(e.id)) continue;
      state.stored.add(e.id);
      const row = state.activity.find((a) => a.e.id == e.id);
      if (row && e.type) row.stored = e;
      else if (row) row.storedAsOtlp = true;
    }
  };
  const connect = () => {
    const es = new EventSource('/api/stream');
    const take = (ev) => {
      const d = JSON.parse(ev.data);
      state.server = d.summary || d;
      if (d.events) markStored(d.events);
      dirty();
    };
    // OTLP arrivals: log records name their event id, summaries their model and time
    const takeOtlp = (ev) => {
      const d = JSON.parse(ev.data);
      const ids = d.ids || (d.summaries || []).map((p) => state.summaryIds.get(summaryKey(p.model, p.timeUnixNano)));
      markStored(ids.filter(Boolean).map((id) => ({ id })));
      take(ev);
    };
    es.addEventListener('otlp', takeOtlp);
    es.addEventListener('hello', (ev) => {
      state.connected = true;
      take(ev);
      // whatever arrived while we were not listening
      fetch('/api/events').then((r) => r.json()).then((all) => (markStored(all), dirty()));
    });
    for (const kind of ['batch', 'request', 'fault']) es.addEventListener(kind, take);
    es.onerror = () => ((state.connected = false), dirty());
  };
  connect();

  // ---- rendering, at most once a frame
  let queued = false;
  const dirty = () => {
    if (!queued) (queued = true), requestAnimationFrame(render);
  };

  const renderVitals = () => {
    for (const name of VITALS) {
      const v = state.vitals[name];
      const el = root.querySelector(`[data-vital="${name}"]`);
      el.className = `vital ${v ? v.rating : ''}`;
      el.lastChild.textContent = v ? v.text : '—';
      el.title = v ? v.rating : 'not reported yet';
    }
    const note = root.querySelector('[data-note="vitals"]');
    note.textContent = !caps.collect && !Object.keys(state.vitals).length
      ? 'Vitals, interactions, routes and errors are collected once the collectors land (issue 5); until then only track() and model events flow.'
      : Object.keys(state.vitals).length < 5
        ? 'LCP waits for the first input, INP for an interaction, CLS is reported when the page hides: click something, then switch tabs and come back.'
        : '';
  };

  const renderModel = () => {
    const el = $('model');
    if (!caps.model && !Object.keys(state.summaries).length) {
      el.innerHTML = `<p class="note">The model runs on this page, but its monitoring (wrapInference, summaries, drift, health, alerts) arrives with issue 6.</p>`;
      return;
    }
    const models = Object.keys(state.summaries);
    const names = models.length ? models : Object.keys(state.lastCall);
    if (!names.length) {
      el.innerHTML = `<p class="note">Run the model (left) to see its latency, drift and health. A summary per model is sent every few seconds and on flush().</p>`;
      return;
    }
    el.innerHTML = names
      .map((m) => {
        const list = state.summaries[m] || [];
        const s = list[list.length - 1];
        const last = state.lastCall[m];
        const alerts = [...state.alerts.values()].filter((a) => a.key.startsWith(m + '/') || a.key.startsWith('/'));
        return `<div class="model">
          <div class="model-head"><b>${esc(m)}</b>
            ${s ? `<span class="pill health-${esc(s.state)}" data-testid="health">health ${s.health ?? '–'} · ${esc(s.state || '–')}</span>
            <span class="pill drift-${esc(s.drift)}" data-testid="drift">drift ${esc(s.drift)}</span>` : ''}
            ${last ? `<span class="muted">last call ${ms(last.ms)} ms · ${last.fallback ? 'fallback' : last.ok ? 'model' : 'failed'}</span>` : ''}</div>
          <div class="model-body">
            <div class="nums">
              ${s ? [['p50', ms(s.p50) + ' ms'], ['p95', ms(s.p95) + ' ms'], ['p99', ms(s.p99) + ' ms'], ['calls', s.count], ['errors', s.errors], ['fallbacks', s.fallbacks]].map(([k, v]) => `<div><span>${k}</span><b>${v}</b></div>`).join('') : '<p class="muted">no summary yet</p>'}
              ${s ? `<div class="wide"><span>drift z</span><b class="small">mean ${z(s.meanShiftZ)} · var ×${z(s.varianceRatio)} · latency ${z(s.latencyZ)}</b></div>` : ''}
            </div>
            ${chart(list)}
          </div>
          <ul class="alerts" data-testid="alerts">${alerts.length ? alerts.map((a) => `<li class="${esc(a.severity)}">${esc(a.severity)} · ${esc(a.text)}</li>`).join('') : '<li class="none">no open alerts</li>'}</ul>
        </div>`;
      })
      .join('');
  };

  const renderDelivery = (s) => {
    $('buffer').textContent = s.disabled ? `off: ${s.disabled}` : `buffer: ${s.buffer}`;
    const wait = Math.max(0, Math.ceil((s.rateLimitedUntil - Date.now()) / 1000));
    const cell = (k, v, cls = '') => `<div class="${cls}" data-stat="${k}"><span>${k}</span><b>${v}</b></div>`;
    $('delivery').innerHTML = `
      ${s.disabled ? `<p class="banner">telltale is off on this page (<code>stats().disabled = '${esc(s.disabled)}'</code>): nothing is stored or sent.</p>` : ''}
      <div class="nums">
        ${cell('buffered', s.buffered)}${cell('in flight', s.inFlight, s.inFlight ? 'warn' : '')}${cell('sent', s.sent, 'ok')}
        ${cell('retrying', s.retrying, s.retrying ? 'warn' : '')}${cell('rejected', s.rejected, s.rejected ? 'bad' : '')}
        ${cell('rate-limited', wait ? `${wait} s` : 'no', wait ? 'warn' : '')}
      </div>
      <div class="dropped"><span>dropped</span>${REASONS.map((r) => `<em class="${s.dropped[r] ? 'bad' : ''}" data-drop="${r}">${r} ${s.dropped[r] || 0}</em>`).join('')}</div>
      ${Object.keys(s.removed).length ? `<div class="dropped"><span>privacy gate removed</span>${Object.entries(s.removed).map(([k, v]) => `<em data-removed="${k}">${k} ${v}</em>`).join('')}</div>` : ''}
      <ol class="batches">${state.batches.map((b) => `<li><span class="st st-${b.status == 0 ? 'net' : String(b.status)[0]}${b.status == 429 ? ' st-429' : ''}">${b.via == 'beacon' ? 'beacon' : b.status || 'network'}</span> ${b.events} event${b.events == 1 ? '' : 's'} · ${kb(b.bytes)} <time>${clock(b.at)}</time></li>`).join('') || '<li class="muted">no batch sent yet</li>'}</ol>`;
  };

  const renderLedger = (s) => {
    const t = state.server.totals || {};
    const o = state.server.otlp || {};
    const types = {};
    for (const [id, type] of state.mine) {
      const row = (types[type] ||= [0, 0]);
      row[0]++;
      if (state.stored.has(id)) row[1]++;
    }
    const created = state.mine.size;
    const stored = state.stored.size;
    const rows = Object.entries(types).sort((a, b) => b[1][0] - a[1][0]);
    const fault = state.server.fault;
    // every event is stored, waiting in the buffer, or was refused by the server (4xx) or a cap
    // (refused first: it is final, while the buffer's count can lag behind a delivery)
    const refused = Math.min(s.rejected + s.dropped.age + s.dropped.size + s.dropped.count, created - stored);
    const waiting = Math.min(s.buffered, created - stored - refused);
    // beforeSend can drop an event after the page saw it
    const gated = Math.min(s.removed.beforeSend || 0, created - stored - waiting - refused);
    const lost = created - stored - waiting - refused - gated;
    const verdict = !created
      ? 'nothing tracked yet'
      : `${lost ? `${lost} unaccounted for` : '✓ nothing lost'}: ${stored} stored${waiting ? `, ${waiting} waiting to be sent` : ''}${refused ? `, ${refused} refused (4xx or a cap)` : ''}${gated ? `, ${gated} dropped by beforeSend` : ''}`;
    $('ledger').innerHTML = `
      <table><thead><tr><th>type</th><th>client created</th><th>server stored</th></tr></thead><tbody>
      ${rows.map(([k, [c, s]]) => `<tr><td>${k}</td><td>${c}</td><td class="${s == c ? 'ok' : 'pending'}">${s}</td></tr>`).join('')}
      <tr class="total"><td>this page</td><td data-testid="created">${created}</td><td data-testid="stored" class="${stored == created ? 'ok' : 'pending'}">${stored}</td></tr>
      </tbody></table>
      <p class="verdict ${!created ? 'muted' : lost ? 'bad' : 'ok'}" data-testid="verdict">${verdict}</p>
      <div class="server">
        <div><span>server ${state.connected ? '●' : '○'}</span><b class="fault-${esc(fault)}" data-testid="fault">${esc(fault)}</b></div>
        <div><span>requests</span><b data-testid="s-requests">${t.requests ?? 0}</b></div>
        <div><span>accepted</span><b data-testid="s-accepted">${t.accepted ?? 0}</b></div>
        <div><span>400 / 413</span><b data-testid="s-rejected">${t.rejected ?? 0} / ${t.tooLarge ?? 0}</b></div>
        <div><span>faulted</span><b data-testid="s-faulted">${t.faulted ?? 0}</b></div>
        <div><span>events received</span><b data-testid="s-received">${t.received ?? 0}</b></div>
        <div><span>duplicates removed</span><b data-testid="s-duplicates">${t.duplicates ?? 0}</b></div>
        <div><span>stored (all pages)</span><b data-testid="s-stored">${t.stored ?? 0}</b></div>
        <div><span>OTLP requests · log records</span><b data-testid="s-otlp">${o.requests ?? 0} · ${o.logRecords ?? 0}</b></div>
      </div>
      ${state.server.reasons?.[0] ? `<p class="reason">last 400: ${esc(state.server.reasons[0])}</p>` : ''}`;
  };

  const renderStream = () => {
    $('stream').innerHTML =
      state.activity
        .map(({ e, stored, storedAsOtlp }) => {
          // once stored, the row shows what the server got: scrubbed, as it left the page
          const ev = stored || e;
          const a = readActivity(ev);
          return `<li class="k-${a.kind}"><time>${clock(ev.t)}</time><span class="kind">${a.kind}</span><span class="text">${esc(a.text)}</span><span class="where">${esc(ev.page)}</span><i class="${stored || storedAsOtlp ? 'dot ok' : 'dot'}" title="${stored ? 'as stored on the server' : storedAsOtlp ? 'stored as an OTLP log record; shown as created on the page' : 'as created on the page, not stored yet'}"></i></li>`;
        })
        .join('') || `<li class="muted">${caps.collect ? 'click around, change route, throw an error…' : 'track() events show here; collectors arrive with issue 5'}</li>`;
  };

  function render() {
    queued = false;
    renderVitals();
    renderModel();
    const s = readStats(tt.stats());
    renderDelivery(s);
    renderLedger(s);
    renderStream();
  }
  // stats() has no event of its own in every build: poll it, cheaply
  setInterval(dirty, 500);
  tt.on('alert', (e) => (onAlert(e), dirty()));
  // the script-tag page listened from before the SDK loaded (see index.html)
  if (seen) seen.splice(0).forEach(onEvent), (window.demoTap = onEvent);
  else tt.on('event', onEvent);
  render();
  return { state, dirty };
};
