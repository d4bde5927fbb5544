// The SPA page: telltale from the ESM build, client-side routes with pushState.
import { init } from '/dist/telltale.mjs';
import { mountDemo } from '/demo/app.js';

// ?protocol=otlp: OTLP/HTTP JSON to this origin, as to a Collector (the demo's Wire control)
const otlp = /[?&]protocol=otlp/.test(location.search);
const tt = init({
  endpoint: otlp ? location.origin : '/ingest',
  protocol: otlp ? 'otlp' : 'telltale',
  app: 'telltale-demo',
  release: '0.1.0',
  env: 'local',
  flushIntervalMs: 1500,
  summaryIntervalMs: 5000,
  debug: true,
});

// the router: links and the route control change the view without a reload
const VIEWS = { '/spa': 'Home: the panel on the right is this app’s monitoring.', '/spa/models': 'Models: run the classifier on the left.', '/spa/settings': 'Settings: nothing to set, it’s a demo.' };
const show = () => {
  document.getElementById('view').textContent = VIEWS[location.pathname] || 'Not found (client-side)';
  for (const a of document.querySelectorAll('#routes a')) a.toggleAttribute('aria-current', a.pathname == location.pathname);
};
const navigate = (path) => {
  history.pushState({}, '', path);
  show();
};
document.getElementById('routes').addEventListener('click', (e) => {
  const a = e.target.closest('a');
  if (!a) return;
  e.preventDefault();
  navigate(a.pathname);
});
addEventListener('popstate', show);
addEventListener('demo:navigate', (e) => navigate(e.detail));
show();

mountDemo(tt, { spa: true });
