// Size figures: our shipped files (the budgets' way), the floor bundled the same way, the competitors.
import { SIZES } from './anchors.mjs';
import { budgetSizes, bundleCode, measure } from '../scripts/size.mjs';

/**
 * The floor's worker: idb and comlink doing their minimal job, an IndexedDB store that takes what the
 * page hands it. The lowest cost a worker buffer built on these two libraries can have.
 */
const FLOOR_WORKER = `import { openDB } from 'idb';
import { expose } from 'comlink';
const db = openDB('floor', 1, { upgrade: (d) => d.createObjectStore('events', { autoIncrement: true }) });
expose({ add: async (events) => { const s = (await db).transaction('events', 'readwrite'); await Promise.all([s.store.add(events), s.done]); } });`;

/**
 * The floor's page script: web-vitals' attribution build measures the five vitals and comlink hands
 * each to the worker above, started as a blob worker. `WORKER` is replaced by the worker's code.
 */
const FLOOR_PAGE = `import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals/attribution';
import { wrap } from 'comlink';
const worker = new Worker(URL.createObjectURL(new Blob([WORKER], { type: 'text/javascript' })));
const store = wrap(worker);
const send = (m) => store.add([{ name: m.name, value: m.value, rating: m.rating, target: m.attribution.interactionTarget || m.attribution.target }]);
onCLS(send); onFCP(send); onINP(send); onLCP(send); onTTFB(send);`;

/**
 * The floor, as one IIFE page script: web-vitals/attribution + idb + comlink doing their minimal job
 * (the vitals measured and stored in IndexedDB by a comlink worker). The bench loads it beside
 * telltale in the same run: no SDK built on these libraries can cost the page less.
 */
export const floorScript = async () => {
  const worker = await bundleCode(FLOOR_WORKER, { format: 'iife' });
  return bundleCode(FLOOR_PAGE.replace('WORKER', () => JSON.stringify(worker)), { format: 'iife' });
};

const KB = (b) => `${(b / 1000).toFixed(1)} KB`;
const note = (s) => `raw ${s.raw} · br ${s.brotli}`;

export const sizeRows = async (floorCode) => {
  const floor = measure(Buffer.from(floorCode));
  const row = (figure, s, target, extra = '') => ({
    section: 'size',
    figure,
    unit: 'B gzip',
    median: s?.gzip,
    ratio: s && { value: s.gzip / floor.gzip, to: 'floor' },
    target,
    note: s ? note(s) + extra : undefined,
  });
  const rows = [];
  for (const b of await budgetSizes()) {
    // the budget npm test enforces, and the target for the whole IIFE
    const target = `≤ ${KB(b.gzip)} budget${b.target ? `; ≤ ${KB(b.target)} target` : ''}`;
    if (!b.rows.length) rows.push({ ...row(b.label, undefined, target), missing: !b.optional });
    for (const r of b.rows) rows.push(row(`${b.label}${b.rows.length > 1 ? ` (${r.file})` : ''}`, r, target));
  }
  rows.push(row('floor: web-vitals/attribution + idb + comlink (page + worker)', floor, 'ANCHORS §7: 6,010 + 1,533 + 2,081'));
  for (const [name, gzip] of SIZES)
    rows.push({ section: 'size', figure: `anchor: ${name}`, unit: 'B gzip', median: gzip, ratio: { value: gzip / floor.gzip, to: 'floor' }, note: 'ANCHORS.md §7 (esbuild)' });
  return rows;
};
