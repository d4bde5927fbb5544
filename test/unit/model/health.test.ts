import { describe, expect, it } from 'vitest';
import { health } from '../../../src/model/health';

describe('the health score', () => {
  it.each([
    // count, errors, fallbacks, meanMs, budget, critical, warnings -> score, status
    ['a perfect model, capped at 100', [100, 0, 0, 40, 100, 0, 0], 100, 'healthy'],
    ['2% errors, 150 ms against a 100 ms budget: 100 - 4 - 5 + 5', [100, 2, 0, 150, 100, 0, 0], 96, 'healthy'],
    ['one open warning and 30% fallbacks: 100 - 5, no bonus', [100, 0, 30, 50, 100, 0, 1], 95, 'healthy'],
    ['latency 300 ms over budget: 100 - 30 + 5', [100, 0, 0, 400, 100, 0, 0], 75, 'degraded'],
    ['a critical alert makes it unhealthy whatever the score: 100 - 10 + 5', [100, 0, 0, 50, 100, 1, 0], 95, 'unhealthy'],
    ['an error rate over 10% is unhealthy: 100 - 24 + 5', [100, 12, 0, 50, 100, 0, 0], 81, 'unhealthy'],
    ['8% errors, 250 ms, one warning: 100 - 16 - 15 - 5 + 5', [100, 8, 0, 250, 100, 0, 1], 69, 'degraded'],
    ['score under 50: 100 - 10 - 45 - 10 + 5', [100, 5, 10, 550, 100, 1, 0], 40, 'unhealthy'],
    ['never below 0', [10, 10, 10, 5000, 100, 4, 3], 0, 'unhealthy'],
  ] as const)('%s', (_, args, score, status) => {
    expect(health(...(args as unknown as Parameters<typeof health>))).toEqual({ score, status });
  });
});
