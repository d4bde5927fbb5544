import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { init, type Client } from '../../../src/index';
import { stubNetwork } from '../helpers';

const endpoint = 'https://ingest.example.com/v1/events';
const baselineUrl = 'https://ingest.example.com/v1/baselines';
let client: Client | undefined;
const start = (options: Record<string, unknown> = {}) => (client = init({ endpoint, app: 'ml', flushIntervalMs: 0, ...options }));

beforeEach(() => sessionStorage.clear());
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** The ingest stub, answering GET `baselineUrl` with `body` (or failing) and recording both. */
const network = (body: unknown | Error) => {
  const net = stubNetwork();
  const post = globalThis.fetch as (url: string, init: RequestInit) => Promise<Response>;
  const gets: RequestInit[] = [];
  vi.stubGlobal('fetch', async (url: string, options: RequestInit = {}) => {
    if (url != baselineUrl) return post(url, options);
    gets.push(options);
    if (body instanceof Error) throw body;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return { ...net, gets };
};

const FLEET = { clf: { mean: 0.8, std: 0.05, latencyMs: 20, latencyStdMs: 2, n: 50_000, version: '3' } };

/** 60 calls of `clf` whose outputs sit 4σ under the fleet's mean (too few to learn a baseline from). */
const lowScores = (c: Client) => {
  for (let i = 0; i < 60; i++) c.recordInference({ model: 'clf', version: '3', durationMs: 20 + (i % 3), ok: true, output: 0.6 + ((i % 5) - 2) * 0.02 });
};

const summaryOf = async (net: ReturnType<typeof network>, model: string) => {
  await client!.flush();
  return net.events().find((e) => e.type == 'inference_summary' && e.model == model)!;
};

describe('fleet baselines (baselineUrl)', () => {
  it('measure a model against the fleet from its first calls, fetched once per session without credentials', async () => {
    const net = network(FLEET);
    start({ baselineUrl });
    lowScores(client!);
    const summary = await summaryOf(net, 'clf');
    expect(summary.drift).toMatchObject({ severity: 'high' });
    expect(net.gets).toEqual([expect.objectContaining({ credentials: 'omit' })]);
    expect(client!.stats().models).toEqual({ overCap: 0, fleetBaselines: 1, fleetBaselineFailures: 0 });
    // a second page of the session reads its copy
    await client!.shutdown();
    start({ baselineUrl });
    lowScores(client!);
    expect((await summaryOf(net, 'clf')).drift).toMatchObject({ severity: 'high' });
    expect(net.gets).toHaveLength(1);
  });

  it('without one, the same calls are what the page learns from: no drift', async () => {
    const net = network(FLEET);
    start();
    lowScores(client!);
    expect((await summaryOf(net, 'clf')).drift).toEqual({ severity: 'none' });
    expect(net.gets).toEqual([]);
  });

  it('gives way to setBaseline', async () => {
    const net = network(FLEET);
    start({ baselineUrl });
    client!.setBaseline('clf', { mean: 0.6, std: 0.05 });
    lowScores(client!);
    expect((await summaryOf(net, 'clf')).drift).toMatchObject({ severity: 'none' });
  });

  it('counts a failed fetch and goes on learning', async () => {
    const net = network(new TypeError('Failed to fetch'));
    start({ baselineUrl });
    lowScores(client!);
    const summary = await summaryOf(net, 'clf');
    expect(summary).toMatchObject({ count: 60, drift: { severity: 'none' } });
    expect(client!.stats().models).toMatchObject({ fleetBaselines: 0, fleetBaselineFailures: 1 });
  });

  it('puts in each summary the moments a fleet merge needs', async () => {
    const net = network({});
    start();
    for (const [i, ms] of [10, 20, 30, 40].entries()) client!.recordInference({ model: 'm', durationMs: ms, ok: true, output: i });
    const summary = await summaryOf(net, 'm');
    // outputs 0..3 (the first call counts), latency of the calls after the first (cold) one
    expect(summary.output).toEqual({ n: 4, mean: 1.5, std: expect.closeTo(1.291, 3), m2: 5 });
    expect(summary.latencyMoments).toEqual({ n: 3, mean: 30, m2: 200 });
  });
});

describe('maxModels', () => {
  it('monitors the first maxModels models, counts the others and warns once in debug', async () => {
    const net = network({});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    start({ maxModels: 2, debug: true });
    for (const model of ['a', 'b', 'c', 'd', 'c']) client!.recordInference({ model, durationMs: 1, ok: true });
    expect(client!.stats().models.overCap).toBe(2);
    await client!.flush();
    const events = net.events();
    expect(events.filter((e) => e.type == 'inference_summary').map((e) => e.model)).toEqual(['a', 'b']);
    expect(events.filter((e) => e.type == 'inference').map((e) => e.model)).toEqual(['a', 'b', 'c', 'd', 'c']);
    expect(warn.mock.calls.filter((c) => String(c[1]).includes('maxModels'))).toHaveLength(1);
  });

  it('is 32 by default and must be a whole number from 1', () => {
    network({});
    start();
    for (let i = 0; i < 33; i++) client!.recordInference({ model: 'm' + i, durationMs: 1, ok: true });
    expect(client!.stats().models.overCap).toBe(1);
    for (const bad of [0, 1.5, 'many'])
      expect(() => init({ endpoint, app: 'ml', maxModels: bad as number })).toThrow(/maxModels must be a whole number from 1/);
    expect(() => init({ endpoint, app: 'ml', baselineUrl: 'ftp://x' })).toThrow(/baselineUrl must be an http\(s\) URL/);
  });
});
