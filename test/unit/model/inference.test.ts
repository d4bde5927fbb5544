import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { init, type Client } from '../../../src/index';
import { createNoopClient } from '../../../src/noopClient';
import { settle, hidePage, stubNetwork } from '../helpers';

const endpoint = 'https://ingest.example.com/v1/events';
let client: Client | undefined;
const start = (options: Record<string, unknown> = {}) => (client = init({ endpoint, app: 'ml', flushIntervalMs: 0, ...options }));

beforeEach(() => sessionStorage.clear());
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const sent = async (net: ReturnType<typeof stubNetwork>, type?: string) => {
  await client!.flush();
  return net.events().filter((e) => !type || e.type == type);
};

describe('wrapInference', () => {
  it('returns what a sync function returns, with its this and arguments, and records the call', async () => {
    const net = stubNetwork();
    start();
    const model = { k: 3, predict(x: number, y: number) { return this.k * x + y; } };
    model.predict = client!.wrapInference(model.predict, { model: 'lin', version: '2', backend: 'cpu', inputSize: (a) => a.length, summarize: (v) => v });
    // the clock the wrapper reads: the first call starts at 100 ms and ends at 112.3456 ms
    const clock = vi.spyOn(performance, 'now').mockReturnValueOnce(100).mockReturnValueOnce(112.3456);
    expect(model.predict(2, 1)).toBe(7);
    clock.mockRestore();
    expect(model.predict(1, 0)).toBe(3);
    const [first, second] = await sent(net, 'inference');
    expect(first).toMatchObject({ model: 'lin', version: '2', backend: 'cpu', ok: true, source: 'model', inputSize: 2, output: 7, cold: true });
    // the time between the call's start and its end, to the microsecond
    expect(first.durationMs).toBe(12.346);
    expect(second).not.toHaveProperty('cold');
    expect(second.output).toBe(3);
  });

  it('returns the very promise an async function returns and records when it settles', async () => {
    const net = stubNetwork();
    start();
    let p!: Promise<string>;
    const wrapped = client!.wrapInference(() => (p = new Promise((r) => setTimeout(() => r('done'), 20))), { model: 'a', summarize: (s) => s.length });
    const out = wrapped();
    expect(out).toBe(p);
    expect(await out).toBe('done');
    await settle();
    const [e] = await sent(net, 'inference');
    expect(e).toMatchObject({ model: 'a', ok: true, output: 4 });
    expect(e.durationMs).toBeGreaterThanOrEqual(15);
  });

  it('throws what a sync function throws, and records the error class and a scrubbed message', async () => {
    const net = stubNetwork();
    start();
    const boom = new RangeError('bad tensor for jane@example.com');
    const wrapped = client!.wrapInference(() => {
      throw boom;
    }, { model: 't' });
    let caught: unknown;
    try {
      wrapped();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(boom);
    const [e] = await sent(net, 'inference');
    expect(e).toMatchObject({ ok: false, source: 'model', error: 'RangeError', message: 'bad tensor for [email]' });
  });

  it('throws exactly what was thrown, even a value that cannot be described', async () => {
    const net = stubNetwork();
    start();
    const odd = Object.create(null);
    const wrapped = client!.wrapInference(() => {
      throw odd;
    }, { model: 'odd' });
    expect(() => wrapped()).toThrow();
    try {
      wrapped();
    } catch (e) {
      expect(e).toBe(odd);
    }
    const [e] = await sent(net, 'inference');
    expect(e).toMatchObject({ ok: false });
  });

  it('rejects with what an async function rejects with', async () => {
    const net = stubNetwork();
    start();
    const why = new TypeError('no backend');
    const p = Promise.reject(why);
    const wrapped = client!.wrapInference(() => p, { model: 'r' });
    expect(wrapped()).toBe(p);
    await expect(p).rejects.toBe(why);
    await settle();
    const [e] = await sent(net, 'inference');
    expect(e).toMatchObject({ ok: false, error: 'TypeError', message: 'no backend' });
  });

  it('serves a failing call from the fallback, sync and async, with the same this and arguments', async () => {
    const net = stubNetwork();
    start();
    const self = { tag: 'me' };
    const fallback = function (this: typeof self, x: number) {
      return `${this.tag}:${x}`;
    };
    const sync = client!.wrapInference(function (this: typeof self, _x: number): string {
      throw new Error('x');
    }, { model: 's', fallback });
    expect(sync.call(self, 1)).toBe('me:1');
    const asyncFb = async function (this: typeof self, x: number) {
      return `${this.tag}:${x}`;
    };
    const async_ = client!.wrapInference(async function (this: typeof self, _x: number): Promise<string> {
      throw new Error('y');
    }, { model: 'as', fallback: asyncFb });
    expect(await async_.call(self, 2)).toBe('me:2');
    const events = await sent(net, 'inference');
    expect(events.map((e) => [e.model, e.ok, e.source, e.error])).toEqual([
      ['s', false, 'fallback', 'Error'],
      ['as', false, 'fallback', 'Error'],
    ]);
  });

  it('serves a call slower than timeoutMs from the fallback, and a fast one from the model', async () => {
    const net = stubNetwork();
    start();
    const slow = (ms: number) => new Promise<string>((r) => setTimeout(() => r('model'), ms));
    const wrapped = client!.wrapInference(slow, { model: 'slow', timeoutMs: 30, fallback: async () => 'fallback' });
    expect(await wrapped(200)).toBe('fallback');
    expect(await wrapped(1)).toBe('model');
    const [late, fast] = await sent(net, 'inference');
    expect(late).toMatchObject({ ok: false, source: 'fallback', error: 'Timeout' });
    expect(late.durationMs).toBeGreaterThanOrEqual(25);
    expect(fast).toMatchObject({ ok: true, source: 'model' });
  });

  it('without a fallback, never changes the result: timeoutMs does not cut a slow call', async () => {
    stubNetwork();
    start();
    const wrapped = client!.wrapInference(() => new Promise((r) => setTimeout(() => r(1), 40)), { model: 'x', timeoutMs: 1 });
    expect(await wrapped()).toBe(1);
  });

  it('returns a non-function or a call without a model name unchanged, and counts it', () => {
    stubNetwork();
    start();
    const fn = () => 1;
    expect(client!.wrapInference(fn, {} as never)).toBe(fn);
    expect(client!.wrapInference(42 as never, { model: 'm' })).toBe(42);
    expect(client!.stats().dropped.invalid).toBe(2);
  });

  it('keeps working when summarize or inputSize throw', async () => {
    const net = stubNetwork();
    start();
    const wrapped = client!.wrapInference((x: number) => x, {
      model: 'm',
      summarize: () => {
        throw new Error('oops');
      },
      inputSize: () => NaN,
    });
    expect(wrapped(5)).toBe(5);
    const [e] = await sent(net, 'inference');
    expect(e).toMatchObject({ ok: true });
    expect(e).not.toHaveProperty('output');
    expect(e).not.toHaveProperty('inputSize');
  });

  it('is the function itself on a disabled client', () => {
    const fn = () => 1;
    const noop = createNoopClient('dnt');
    expect(noop.wrapInference(fn, { model: 'm' })).toBe(fn);
    noop.recordInference({ model: 'm', durationMs: 1, ok: true });
    noop.setBaseline('m', { mean: 0, std: 1 });
    // read before any model part exists: counts, not an error
    expect(noop.stats().models).toEqual({ overCap: 0, fleetBaselines: 0, fleetBaselineFailures: 0 });
  });
});

describe('recordInference and summaries', () => {
  it('summarizes each model on flush: counts, latency percentiles, output stats, drift, health, sketch', async () => {
    const net = stubNetwork();
    start();
    for (let i = 1; i <= 100; i++) client!.recordInference({ model: 'm', version: '1', backend: 'wasm', durationMs: i, ok: i % 10 != 0, output: i % 2 });
    client!.recordInference({ model: 'n', durationMs: 5, ok: true, source: 'fallback' });
    const [m, n] = await sent(net, 'inference_summary');
    expect(m).toMatchObject({ model: 'm', version: '1', backend: 'wasm', count: 100, errors: 10, fallbacks: 0, timeouts: 0 });
    const { p50, p95, p99, max, mean } = m.latency as Record<string, number>;
    expect(Math.abs(p50 / 50 - 1)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(p95 / 95 - 1)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(p99 / 99 - 1)).toBeLessThanOrEqual(0.01);
    expect([max, mean]).toEqual([100, 50.5]);
    expect(m.output).toEqual({ n: 100, mean: 0.5, std: expect.closeTo(0.5025, 3), m2: 25 });
    expect(m.drift).toEqual({ severity: 'none' });
    // 10% errors: 100 - 20 + 5; an error rate over 5% opened a critical alert: -10, unhealthy
    expect(m.health).toEqual({ score: 75, status: 'unhealthy' });
    expect(m.sketch).toMatchObject({ scale: 6, zeroCount: 0, counts: expect.any(Array) });
    expect(n).toMatchObject({ model: 'n', count: 1, fallbacks: 1 });
    // the next summary covers only what came after
    client!.recordInference({ model: 'm', durationMs: 3, ok: true });
    const after = (await sent(net, 'inference_summary')).filter((e) => e.model == 'm');
    expect(after[1]).toMatchObject({ count: 1, errors: 0 });
  });

  it('sends summaries every summaryIntervalMs and when the page hides', async () => {
    vi.useFakeTimers();
    const net = stubNetwork();
    start({ summaryIntervalMs: 1000 });
    client!.recordInference({ model: 'm', durationMs: 1, ok: true });
    await vi.advanceTimersByTimeAsync(1000);
    client!.recordInference({ model: 'm', durationMs: 2, ok: true });
    hidePage();
    await settle();
    const summaries = [...net.fetches, ...net.beacons].flatMap((s) => s.json.events).filter((e) => e.type == 'inference_summary');
    expect(summaries.map((s) => s.count)).toEqual([1, 1]);
  });

  it('samples per-call events with sampling.inference but keeps the summaries exact', async () => {
    const net = stubNetwork();
    start({ sampling: { inference: 0 } });
    for (let i = 0; i < 50; i++) client!.recordInference({ model: 'm', durationMs: 1, ok: i != 7 });
    const events = await sent(net);
    expect(events.filter((e) => e.type == 'inference')).toEqual([]);
    expect(events.find((e) => e.type == 'inference_summary')).toMatchObject({ count: 50, errors: 1 });
    expect(client!.stats().removed.sampled).toBe(50);
  });

  it('drops a malformed record and counts it', async () => {
    const net = stubNetwork();
    start();
    client!.recordInference({ model: '', durationMs: 1, ok: true });
    client!.recordInference({ model: 'm', durationMs: -1, ok: true });
    client!.recordInference({ model: 'm', durationMs: 1, ok: 'yes' } as never);
    client!.recordInference(null as never);
    client!.setBaseline('m', { mean: 'x' } as never);
    expect(client!.stats().dropped.invalid).toBe(5);
    expect(await sent(net)).toEqual([]);
  });
});

describe('alerts and drift', () => {
  it('raise once and clear once, as an alert event and through on("alert")', async () => {
    const net = stubNetwork();
    start();
    const heard: unknown[] = [];
    client!.on('alert', (e) => heard.push([e.rule, e.status]));
    for (let i = 0; i < 100; i++) client!.recordInference({ model: 'm', durationMs: 10, ok: i < 50 || i % 5 != 0 });
    for (let i = 0; i < 200; i++) client!.recordInference({ model: 'm', durationMs: 10, ok: true });
    // the aggregates load on the first call: flush() waits for them
    await client!.flush();
    expect(heard).toEqual([
      ['error_rate', 'raised'],
      ['error_rate', 'cleared'],
    ]);
    const alerts = await sent(net, 'alert');
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({ model: 'm', rule: 'error_rate', severity: 'critical', threshold: 0.05, status: 'raised' });
    expect(alerts[0].value).toBeGreaterThan(0.05);
  });

  it('flags drift against a baseline set with setBaseline, in the summary and as a critical alert', async () => {
    const net = stubNetwork();
    start();
    client!.setBaseline('clf', { mean: 0.8, std: 0.05, latencyMs: 20, latencyStdMs: 2 });
    const heard: unknown[] = [];
    client!.on('alert', (e) => heard.push(e.rule));
    // deterministic outputs around 0.6: 4σ below the baseline mean
    for (let i = 0; i < 120; i++) client!.recordInference({ model: 'clf', durationMs: 20 + (i % 3), ok: true, output: 0.6 + ((i % 5) - 2) * 0.02 });
    const [s] = await sent(net, 'inference_summary');
    expect(s.drift).toMatchObject({ severity: 'high' });
    expect((s.drift as { meanShiftZ: number }).meanShiftZ).toBeLessThan(-3);
    expect(heard).toEqual(['drift']);
    const [alert] = await sent(net, 'alert');
    expect(alert).toMatchObject({ rule: 'drift', severity: 'critical', drift: { severity: 'high' } });
  });
});
