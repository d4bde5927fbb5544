// The demo's controls, shared by the script-tag page and the SPA page. Each
// control does one thing a real page or backend does, so the panel shows how
// telltale reacts.
import { capabilities } from './fields.js';
import { createModel } from './model.js';
import { createPanel, h } from './panel.js';

// [mode, label, what it shows]; an array keeps the order (numeric keys would sort first)
const FAULTS = [
  ['normal', 'Normal', 'The server stores every valid batch (200).'],
  ['503', '503', 'Every POST gets 503 without Retry-After: batches wait and retry with backoff.'],
  ['429', '429', 'Every POST gets 429 with Retry-After: 10, which the page can read (exposed by CORS): nothing is sent for 10 s.'],
  ['400', '400', 'Every POST gets 400 with a reason: the SDK drops those batches for good and counts them as rejected.'],
  ['hang', 'Hang', 'The server never answers (the socket is dropped after 30 s or when you leave this mode): requests stay in flight.'],
  [
    'offline',
    'Offline',
    'Simulated offline: a page cannot switch the browser offline, so the server destroys every connection (a network error) and the page gets an offline event; Normal sends the online event.',
  ],
];
const HELP = Object.fromEntries(FAULTS.map(([mode, , help]) => [mode, help]));

const setFault = (mode) => fetch(`/api/fault?mode=${mode}`, { method: 'POST' });

/** Mounts controls into `#controls` and the panel into `#panel`. */
export const mountDemo = async (tt, { spa = false, seen } = {}) => {
  const caps = capabilities(tt);
  // ?protocol=otlp: this load sends OTLP/HTTP JSON to this origin's /v1/logs and /v1/metrics
  const otlp = /[?&]protocol=otlp/.test(location.search);
  const panel = createPanel(document.getElementById('panel'), tt, caps, seen, otlp ? 'otlp' : 'telltale');
  const controls = document.getElementById('controls');
  const dnt = /[?&]dnt=1/.test(location.search);

  // ---- model
  const out = h('div', { class: 'result', 'data-testid': 'model-result' }, 'training the model in your browser…');
  const input = h('input', { type: 'text', value: 'the delivery was fast and the support really helpful', 'aria-label': 'review text', 'data-telltale-name': 'review-input' });
  const toggles = {};
  const toggle = (key, label, help) =>
    (toggles[key] = h('button', { class: 'toggle', 'aria-pressed': 'false', title: help, 'data-telltale-name': `model-${key}` }, label));
  const run = h('button', { class: 'primary', 'data-telltale-name': 'model-run', disabled: '' }, 'Run ×200');
  controls.append(
    h('section', { class: 'card' },
      h('h2', {}, 'On-device model ', h('small', {}, 'TF.js sentiment classifier, trained in this tab')),
      input, out,
      h('div', { class: 'row' }, run, toggle('drift', 'Drift', 'feed it reviews unlike its training data'), toggle('fail', 'Fail', 'make every call throw'), toggle('slow', 'Slow', 'add 250–750 ms to every call (timeout 500 ms → fallback)')),
      h('p', { class: 'help' }, 'Drift shifts the input distribution (negative reviews full of unseen slang); Fail makes the model throw; Slow makes calls exceed the 500 ms timeout. Failed and timed-out calls are answered by a word-count heuristic, marked fallback.'),
    ),
  );

  // ---- page events
  let routeN = 0;
  const ROUTES = ['/shop/cart?coupon=SAVE20&email=ann@example.com', '/shop/checkout#step-2', '/shop/orders/4711', '/'];
  const spaNavigate = (path) => window.dispatchEvent(new CustomEvent('demo:navigate', { detail: path }));
  const target = h('button', { class: 'ghost', 'data-telltale-name': 'add-to-cart', 'data-testid': 'rage-target' }, 'Add to cart (does nothing)');
  controls.append(
    h('section', { class: 'card' },
      h('h2', {}, 'Page events'),
      h('div', { class: 'row' },
        h('button', { 'data-telltale-name': 'throw-error', onclick: () => setTimeout(() => { throw new Error(`Checkout total is NaN for ann@example.com (order ${1000 + routeN})`); }) }, 'Throw an error'),
        h('button', { 'data-telltale-name': 'reject-promise', onclick: () => Promise.reject(new TypeError('fetch /api/cart failed: token=eyJhbGciOiJIUzI1NiJ9.e30.abc')) }, 'Unhandled rejection'),
      ),
      h('div', { class: 'row' },
        target,
        h('button', { 'data-telltale-name': 'rage-click', onclick: () => { for (let i = 0; i < 5; i++) setTimeout(() => target.dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1 })), i * 60); } }, 'Rage click it ×5'),
      ),
      h('div', { class: 'row' },
        h('button', { 'data-telltale-name': 'route-change', onclick: () => {
          const to = spa ? ['/spa/models', '/spa/settings?tab=privacy', '/spa'][routeN++ % 3] : ROUTES[routeN++ % ROUTES.length];
          spa ? spaNavigate(to) : history.pushState({}, '', to);
        } }, 'SPA route change'),
        h('button', { 'data-telltale-name': 'track-custom', onclick: () => tt.track('demo_button', { plan: 'pro', n: ++routeN }) }, 'track() event'),
        h('button', { 'data-telltale-name': 'flush', onclick: () => tt.flush() }, 'flush()'),
      ),
      h('p', { class: 'help' }, 'The error message and the route carry an e-mail, a token and a query string: see what the panel (and the server) get after scrubbing. A rage click is 3+ clicks on one target within 1 s.'),
    ),
  );

  // ---- server faults
  const faultHelp = h('p', { class: 'help', 'data-testid': 'fault-help' }, HELP.normal);
  const seg = h('div', { class: 'seg', role: 'group', 'aria-label': 'ingest server answers' });
  let current = 'normal';
  const pickFault = async (mode) => {
    if (current == 'offline' && mode != 'offline') dispatchEvent(new Event('online'));
    if (mode == 'offline') dispatchEvent(new Event('offline'));
    current = mode;
    await setFault(mode);
    for (const b of seg.children) b.setAttribute('aria-pressed', String(b.dataset.mode == mode));
    faultHelp.textContent = HELP[mode];
  };
  for (const [mode, label] of FAULTS)
    seg.append(h('button', { 'data-mode': mode, 'aria-pressed': String(mode == 'normal'), 'data-telltale-name': `fault-${mode}`, onclick: () => pickFault(mode) }, label));
  controls.append(h('section', { class: 'card' }, h('h2', {}, 'Ingest server answers'), seg, faultHelp));

  // ---- privacy
  const other = dnt ? location.pathname : `${location.pathname}?dnt=1`;
  controls.append(
    h('section', { class: 'card' },
      h('h2', {}, 'Privacy'),
      h('div', { class: 'row' },
        h('a', { class: 'button', href: other, 'data-testid': 'dnt-toggle' }, dnt ? 'Reload without Do-Not-Track' : 'Reload with Do-Not-Track'),
        h('a', { class: 'button ghost', href: spa ? '/' : '/spa' }, spa ? 'Script-tag page' : 'SPA page (ESM)'),
      ),
      h('p', { class: 'help' }, dnt
        ? 'This load sees navigator.doNotTrack = "1" (set by the page before telltale loaded): telltale stays off, sends nothing and stores nothing.'
        : 'Reloads this page with navigator.doNotTrack = "1" set before telltale loads (a browser setting a page cannot change, simulated).'),
    ),
  );
  // ?dnt=1 must not stick to routes the page pushes
  if (dnt) document.body.classList.add('dnt');

  // ---- wire
  // the script-tag page's header shows the tag as telltale read it
  const shownTag = document.querySelector('[data-testid="tag"]');
  const telltaleTag = document.getElementById('telltale');
  if (shownTag && telltaleTag) {
    const protocol = telltaleTag.dataset.protocol ? ` data-protocol="${telltaleTag.dataset.protocol}"` : '';
    shownTag.textContent = `<script async src="/dist/telltale.min.js"${protocol} data-endpoint="${telltaleTag.dataset.endpoint}">`;
  }
  controls.append(
    h('section', { class: 'card' },
      h('h2', {}, 'Wire'),
      h('div', { class: 'seg', role: 'group', 'aria-label': 'wire protocol' },
        h('a', { class: 'button', href: location.pathname, 'aria-pressed': String(!otlp), 'data-testid': 'wire-telltale' }, 'telltale JSON'),
        h('a', { class: 'button', href: `${location.pathname}?protocol=otlp`, 'aria-pressed': String(otlp), 'data-testid': 'wire-otlp' }, 'OTLP'),
      ),
      h('p', { class: 'help' }, otlp
        ? `This load sends OTLP/HTTP JSON, as to an OpenTelemetry Collector: events as log records to ${location.origin}/v1/logs, model summaries as metrics to /v1/metrics (see GET /metrics). Nothing goes to /ingest.`
        : 'This load sends telltale\'s own JSON batches to /ingest. OTLP reloads the page with protocol: \'otlp\' and this origin as the Collector\'s base URL.'),
    ),
  );

  // ---- the model, once trained
  const model = await createModel(tt, caps.model);
  for (const key in toggles)
    toggles[key].onclick = () => {
      model.modes[key] = !model.modes[key];
      toggles[key].setAttribute('aria-pressed', String(model.modes[key]));
    };
  const show = (r, text) => {
    out.className = `result ${r.label}`;
    out.innerHTML = `<b>${r.label}</b> ${(r.p * 100).toFixed(0)}% <span class="muted">· ${r.via == 'model' ? `model (${model.backend})` : 'fallback heuristic'} · “${text.slice(0, 48).replace(/</g, '&lt;')}”</span>`;
  };
  const classifyInput = async () => show(await model.classify(input.value), input.value);
  let debounce;
  input.oninput = () => (clearTimeout(debounce), (debounce = setTimeout(classifyInput, 250)));
  run.onclick = async () => {
    run.disabled = true;
    let last;
    let text;
    // 200 calls, 20 at a time: slow mode would take minutes one by one
    for (let i = 0; i < 10; i++) {
      const texts = Array.from({ length: 20 }, model.sample);
      const results = await Promise.all(texts.map((t) => model.classify(t)));
      last = results[19];
      text = texts[19];
      run.textContent = `Running… ${(i + 1) * 20}`;
    }
    show(last, text);
    run.textContent = 'Run ×200';
    run.disabled = false;
    // a summary now rather than at the next interval
    await tt.flush();
  };
  run.removeAttribute('disabled');
  run.dataset.ready = '1';
  await classifyInput();
  panel.dirty();
  return { model, panel };
};
