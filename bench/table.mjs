// The one table `npm run bench` prints: figure, unit, median, min–max, ratio (or difference) to a same-run baseline, target.
const num = (v) => {
  if (typeof v != 'number' || !isFinite(v)) return '';
  const a = Math.abs(v);
  return a >= 1000 ? Math.round(v).toLocaleString('en-US') : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
};

export const format = (rows) => {
  const cells = rows.map((r) => [
    r.figure,
    r.unit || '',
    r.median === undefined ? r.note || 'n/a' : num(r.median),
    r.n > 1 ? `${num(r.min)}–${num(r.max)}` : '',
    r.ratio && isFinite(r.ratio.value) ? (r.ratio.difference ? `${r.ratio.value >= 0 ? '+' : ''}${num(r.ratio.value)} ${r.ratio.to}` : `×${r.ratio.value.toFixed(2)} ${r.ratio.to}`) : '',
    r.target || '',
    r.median === undefined ? '' : r.note || '',
  ]);
  const header = ['figure', 'unit', 'median', 'min–max', 'vs baseline', 'goal', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((s, i) => (i == 2 || i == 3 ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [];
  let section;
  rows.forEach((r, i) => {
    if (r.section != section) out.push('', `== ${(section = r.section)} ==`, line(header));
    out.push(line(cells[i]));
  });
  return out.join('\n').trim();
};
