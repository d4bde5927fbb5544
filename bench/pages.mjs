// The pages the bench loads: one per variant, each script inlined so that timing sees parse, compile and
// run but no network. Cross-origin isolated, so performance.now() ticks every 5 µs instead of 100 µs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

const inline = (code) => code.replace(/<\/script/gi, '<\\/script');

/** name → { script, init }: the no-SDK page, the floor (web-vitals + idb + comlink), and telltale's IIFE started with `init()`. */
export const variants = (root, floorScript, endpoint, options = {}) => ({
  none: { script: '', init: '' },
  floor: { script: floorScript, init: '' },
  telltale: {
    script: readFileSync(join(root, 'dist/telltale.min.js'), 'utf8'),
    init: `window.tt = Telltale.init(${JSON.stringify({ endpoint, app: 'bench', ...options })});`,
  },
});

/**
 * Long tasks are observed from before any script runs, so the SDK's own show up with their durations.
 * `src`: load the script from that URL instead of inline (the IIFE's worker is its own script URL).
 */
export const html = (v, endpoint, src) => `<!doctype html><meta charset="utf-8"><title>bench</title>
<button id="buy" data-telltale-name="buy" style="width:240px;height:90px">Buy</button>
<script>self.BENCH_ENDPOINT = ${JSON.stringify(endpoint)}; self.longTasks = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) self.longTasks.push(e.duration); }).observe({ type: 'longtask' });
self.t0 = performance.now();</script>
${src ? `<script src="${src}"></script>` : `<script>${inline(v.script)}</script>`}
<script>self.t1 = performance.now(); ${v.init} self.t2 = performance.now();</script>`;
