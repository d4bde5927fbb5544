import { init } from 'telltale';

// Starts the collectors (web vitals, clicks, route changes, errors, long tasks) and delivery.
// The vitals are measured in a chunk of their own, loaded in the task after init().
const tt = init({
  endpoint: import.meta.env.VITE_TELLTALE_ENDPOINT,
  app: 'vite-spa-example',
  release: '1.0.0',
});

/** The model wrapped by telltale, made on the first visit to /score. */
let scoreLead;

const home = (view) => {
  view.innerHTML = `<h1>Home</h1><p>A single-page app: the links below change the URL with the History API,
    and telltale records each change as a <code>route</code> event.</p>`;
};

const pricing = (view) => {
  view.innerHTML = `<h1>Pricing</h1><p>Pro: 12 € a month.</p>
    <button data-telltale-name="choose-pro">Choose Pro</button>`;
  view.querySelector('button').addEventListener('click', () => tt.track('plan_chosen', { plan: 'pro' }));
};

const score = async (view) => {
  view.innerHTML = `<h1>Score a lead</h1>
    <label>Visits last week <input name="visits" type="number" value="4" /></label>
    <label>Days since signup <input name="days" type="number" value="12" /></label>
    <label>Pages per visit <input name="pages" type="number" value="3" /></label>
    <button data-telltale-name="score-run" disabled>Score</button>
    <output></output>`;
  // the model is code-split: its chunk loads on the first visit to this view
  const { predict } = await import('./model.js');
  // telltale times every call and sends one inference_summary per model (latency
  // percentiles, errors, output drift) every minute and when the page is hidden
  scoreLead ??= tt.wrapInference(predict, {
    model: 'lead-score',
    version: '1',
    backend: 'js',
    summarize: (probability) => probability,
    inputSize: ([features]) => features.length,
  });
  const button = view.querySelector('button');
  button.disabled = false;
  button.addEventListener('click', async () => {
    const features = [...view.querySelectorAll('input')].map((input) => Number(input.value));
    const probability = await scoreLead(features);
    view.querySelector('output').textContent = `${Math.round(probability * 100)}% likely to buy`;
  });
};

const notFound = (view) => {
  view.innerHTML = '<h1>Not found</h1>';
};

const views = { '/': home, '/pricing': pricing, '/score': score };
const render = () => (views[location.pathname] ?? notFound)(document.getElementById('view'));

// the router: same-origin links push a history entry; back and forward re-render
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href^="/"]');
  if (!link || event.button != 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  if (link.pathname != location.pathname) history.pushState(null, '', link.pathname);
  render();
});
addEventListener('popstate', render);
render();
