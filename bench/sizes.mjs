// Size figures: our shipped files (the budgets' way), the web-vitals floor bundled the same way, the competitors.
import { SIZES } from './anchors.mjs';
import { budgetSizes, bundleCode, measure } from '../scripts/size.mjs';

const VITALS = `import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
const send = (m) => navigator.sendBeacon(self.BENCH_ENDPOINT || '/e', JSON.stringify(m));
onCLS(send); onFCP(send); onINP(send); onLCP(send); onTTFB(send);`;

/** The web-vitals page script (the floor, and the "web-vitals alone" baseline page), as an IIFE. */
export const vitalsScript = () => bundleCode(VITALS, { format: 'iife' });

const KB = (b) => `${(b / 1000).toFixed(1)} KB`;
const note = (s) => `raw ${s.raw} · br ${s.brotli}`;

export const sizeRows = async () => {
  const floor = measure(Buffer.from(await bundleCode(VITALS)));
  const row = (figure, s, target, extra = '') => ({
    section: 'size',
    figure,
    unit: 'B gzip',
    median: s?.gzip,
    ratio: s && { value: s.gzip / floor.gzip, to: 'web-vitals' },
    target,
    note: s ? note(s) + extra : undefined,
  });
  const rows = [];
  for (const b of await budgetSizes()) {
    // the budget npm test enforces, and the issue's target for the whole IIFE
    const target = `≤ ${KB(b.gzip)} budget${b.file == 'telltale.min.js' ? '; ≤ 13 KB target' : ''}`;
    if (!b.rows.length) rows.push(row(b.label, undefined, target));
    for (const r of b.rows) rows.push(row(`${b.label}${b.rows.length > 1 ? ` (${r.file})` : ''}`, r, target));
  }
  // web-vitals alone: what a page pays for the vitals with the usual library
  rows.push(row('floor: web-vitals, 5 metrics + sendBeacon', floor, 'ANCHORS 3,520'));
  for (const [name, gzip] of SIZES)
    rows.push({ section: 'size', figure: `anchor: ${name}`, unit: 'B gzip', median: gzip, ratio: { value: gzip / floor.gzip, to: 'web-vitals' }, note: 'ANCHORS.md §7 (esbuild)' });
  return rows;
};
