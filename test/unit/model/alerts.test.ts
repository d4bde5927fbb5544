import { describe, expect, it } from 'vitest';
import { createAlerts, MIN_CALLS, type AlertConfig } from '../../../src/model/alerts';

const DEFAULTS: AlertConfig = { alertErrorRate: 0.05, alertLatencyMs: 500, alertServedRate: 0.95, alertDrift: 'high' };

const setup = (cfg: Partial<AlertConfig> = {}) => {
  // each alert as recorded, and as [rule, severity, value, threshold, raised]
  const events: Record<string, unknown>[] = [];
  const told: [string, string, number, number, boolean][] = [];
  const rec = {
    record(type: string, e: Record<string, unknown>) {
      events.push({ type, ...e });
      told.push([e.rule, e.severity, e.value, e.threshold, e.status == 'raised'] as (typeof told)[number]);
    },
    internal() {},
  };
  const a = createAlerts({ ...DEFAULTS, ...cfg }, rec, 'm', () => ({ severity: 'high' }));
  return { a, told, events };
};

describe('alert rules', () => {
  it('raise once when the error rate of recent calls goes over 5%, and clear once when it is back at 4%', () => {
    const { a, told, events } = setup();
    for (let i = 0; i < 100; i++) a.add(false, false, 10, 0);
    expect(told).toEqual([]);
    // each failure weighs 1/100: the sixth in a row takes the rate over 5%
    let failures = 0;
    while (!told.length) a.add(true, false, 10, 0), failures++;
    expect(failures).toBe(6);
    expect(events).toEqual([{ type: 'alert', model: 'm', rule: 'error_rate', severity: 'critical', value: 0.0585, threshold: 0.05, status: 'raised' }]);
    expect(a.open).toEqual([1, 0]);
    // one failure in 20 calls keeps the rate between 4.5% and 5.5%: open, no second alert
    for (let i = 0; i < 400; i++) a.add(i % 20 == 0, false, 10, 0);
    expect(told).toHaveLength(1);
    for (let i = 0; i < 100; i++) a.add(false, false, 10, 0);
    expect(told).toHaveLength(2);
    expect(told[1]).toEqual(['error_rate', 'critical', expect.closeTo(0.04, 3), 0.05, false]);
    expect(a.open).toEqual([0, 0]);
  });

  it('warn when mean latency is over 500 ms and when the model served under 95% of calls', () => {
    const { a, told } = setup();
    for (let i = 0; i < 100; i++) a.add(false, i % 10 == 0, 600, 0);
    expect(told.map((t) => t.slice(0, 2))).toEqual([
      ['latency', 'warning'],
      ['served', 'warning'],
    ]);
    expect(told[1][2]).toBeLessThan(0.95);
    expect(a.open).toEqual([0, 2]);
  });

  it('raise on high drift, and on medium when configured so', () => {
    const high = setup();
    for (let i = 0; i < 30; i++) high.a.add(false, false, 10, 1);
    expect(high.told).toEqual([]);
    high.a.add(false, false, 10, 2);
    expect(high.told).toEqual([['drift', 'critical', 2, 2, true]]);
    // the drift rule's alerts carry the model's drift report
    expect(high.events[0].drift).toEqual({ severity: 'high' });
    high.a.add(false, false, 10, 0);
    expect(high.told[1]).toEqual(['drift', 'critical', 0, 2, false]);

    const medium = setup({ alertDrift: 'medium' });
    for (let i = 0; i < 30; i++) medium.a.add(false, false, 10, 1);
    expect(medium.told).toEqual([['drift', 'critical', 1, 1, true]]);
  });

  it('wait for enough calls, and can each be turned off', () => {
    const early = setup();
    for (let i = 0; i < MIN_CALLS - 1; i++) early.a.add(true, true, 900, 2);
    expect(early.told).toEqual([]);

    const off = setup({ alertErrorRate: 1, alertLatencyMs: 0, alertServedRate: 0, alertDrift: 'off' });
    for (let i = 0; i < 200; i++) off.a.add(true, true, 900, 2);
    expect(off.told).toEqual([]);
  });
});
