// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { budgetSizes } from '../../scripts/size.mjs';

// Each budget covers the dist/ files it names; an optional file (worker, adapters) is checked once built.
const budgets = await budgetSizes();

describe('size budgets (gzip -9)', () => {
  for (const b of budgets) {
    if (!b.optional)
      it(`${b.label} is built`, () => {
        expect(b.rows.length, `dist/${String(b.file)} was not built`).toBeGreaterThan(0);
      });
    // a budget not met yet holds the file at its ceiling (scripts/size.mjs), so it cannot grow unseen
    for (const r of b.rows)
      it(`${b.label}: dist/${r.file} stays within ${b.ceiling ?? b.gzip} bytes`, () => {
        expect(r.gzip).toBeLessThanOrEqual(b.ceiling ?? b.gzip);
      });
  }
});
