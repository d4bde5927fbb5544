import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { init, type Client } from '../../src/index';
import { DRAIN_DELAY_MS } from '../../src/drainSchedule';
// loaded before any client starts: the client's lazy import of it then resolves at once, under fake timers too
import '../../src/buffer/connectWorker';
import { hidePage, settle, stubNetwork } from './helpers';

const endpoint = 'https://ingest.example.com/v1/events';
let client: Client | undefined;
/** Gives this test's Request keepalive (happy-dom's has none, as Firefox before 133). */
const withKeepaliveFetch = () => {
  Object.defineProperty(Request.prototype, 'keepalive', { get: () => false, configurable: true });
  onTestFinished(() => {
    delete (Request.prototype as { keepalive?: boolean }).keepalive;
  });
};
const start = (options: Record<string, unknown> = {}) => (client = init({ endpoint, app: 'shop', ...options }));
/** Starts, then waits for what sends (the claim loop, a chunk loaded after init()): an exit before it loaded sends nothing. */
const startSending = async (options: Record<string, unknown> = {}) => {
  start(options);
  await client!.flush();
};

beforeEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/cart?email=jane@example.com#x');
});
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the envelope', () => {
  it('is SPEC §4 version 1, sent without credentials or a content type that needs a preflight', async () => {
    const net = stubNetwork();
    start({ release: '1.4.2', env: 'production' });
    client!.track('signup', { plan: 'pro' });
    await client!.flush();
    expect(net.fetches).toHaveLength(1);
    const { url, init: req, json } = net.fetches[0];
    expect(url).toBe(endpoint);
    expect(req).toMatchObject({ method: 'POST', credentials: 'omit', mode: 'cors', keepalive: true });
    expect(req.headers).toBeUndefined();
    expect(Object.keys(json)).toEqual(['v', 'batch', 'sentAt', 'sdk', 'app', 'session', 'events']);
    expect(json).toMatchObject({ v: 1, sdk: 'telltale/0.1.0', app: { name: 'shop', release: '1.4.2', env: 'production' } });
    expect(json.sentAt).toBeTypeOf('number');
    expect(json.events[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      type: 'custom',
      t: expect.any(Number),
      page: '/cart',
      name: 'signup',
      data: { plan: 'pro' },
    });
  });

  it('gives every event and batch its own random id', async () => {
    const net = stubNetwork();
    start({ batchSize: 10 });
    for (let i = 0; i < 100; i++) client!.track('e');
    await client!.flush();
    const ids = net.events().map((e) => e.id);
    expect(new Set(ids).size).toBe(100);
    expect(new Set(net.fetches.map((f) => f.json.batch)).size).toBe(10);
  });

  it('keeps the session in sessionStorage and renews it after 30 minutes idle', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const net = stubNetwork();
    start({ flushIntervalMs: 0 });
    client!.track('a');
    await client!.flush();
    const first = net.fetches[0].json.session as string;
    expect(JSON.parse(sessionStorage.getItem('telltale.session')!).id).toBe(first);
    vi.setSystemTime(Date.now() + 29 * 60_000);
    client!.track('b');
    await client!.flush();
    expect(net.fetches[1].json.session).toBe(first);
    vi.setSystemTime(Date.now() + 31 * 60_000);
    client!.track('c');
    await client!.flush();
    expect(net.fetches[2].json.session).not.toBe(first);
  });
});

describe('batching', () => {
  it('sends as soon as a batch is full, and the rest after the flush interval', async () => {
    vi.useFakeTimers();
    const net = stubNetwork();
    start({ batchSize: 3, flushIntervalMs: 5000 });
    for (let i = 0; i < 7; i++) client!.track('e', { i });
    await vi.advanceTimersByTimeAsync(1);
    expect(net.fetches.map((f) => f.json.events.length)).toEqual([3, 3]);
    await vi.advanceTimersByTimeAsync(4900);
    expect(net.fetches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(net.fetches.map((f) => f.json.events.length)).toEqual([3, 3, 1]);
  });

  it('sends a batch full by bytes at once, without waiting for the flush interval', async () => {
    vi.useFakeTimers();
    const net = stubNetwork();
    start({ batchSize: 50, flushIntervalMs: 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    // 5 events of 13 KB: more than one request may carry
    for (let i = 0; i < 5; i++) client!.track('big', { a: Array(13).fill('y'.repeat(1000)) });
    await vi.advanceTimersByTimeAsync(DRAIN_DELAY_MS);
    expect(client!.stats().cleaned).toBe(0);
    expect(net.fetches.length).toBeGreaterThan(0);
    expect(new TextEncoder().encode(net.fetches[0].body).length).toBeLessThanOrEqual(60_000);
  });

  it('never sends a body over 60,000 bytes', async () => {
    const net = stubNetwork();
    start({ batchSize: 500 });
    for (let i = 0; i < 20; i++) client!.track('big', { a: 'x'.repeat(900), b: Array(14).fill('é'.repeat(900)) });
    await client!.flush();
    // each event was cut to fit the 16 KB event cap, none was dropped
    expect(net.events()).toHaveLength(20);
    expect(client!.stats()).toMatchObject({ cleaned: 20, dropped: { invalid: 0 } });
    expect(net.fetches.length).toBeGreaterThan(1);
    for (const f of net.fetches) expect(new TextEncoder().encode(f.body).length).toBeLessThanOrEqual(60_000);
  });

  it('sends what is left by a keepalive fetch when the page is hidden, and its answer confirms it', async () => {
    withKeepaliveFetch();
    const net = stubNetwork();
    await startSending({ flushIntervalMs: 60_000 });
    client!.track('leaving');
    await settle();
    hidePage();
    expect(net.beacons).toHaveLength(0);
    expect(net.fetches).toHaveLength(1);
    expect(net.fetches[0].init).toMatchObject({ keepalive: true, credentials: 'omit' });
    expect(net.fetches[0].json.events[0].name).toBe('leaving');
    await client!.flush();
    expect(client!.stats()).toMatchObject({ buffered: 0, sent: 1 });
  });

  it('on unload (pagehide) sends by keepalive fetch without credentials, including events tracked in the same task', async () => {
    withKeepaliveFetch();
    const net = stubNetwork();
    await startSending({ flushIntervalMs: 60_000 });
    client!.track('last-click');
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    expect(net.beacons).toHaveLength(0);
    expect(net.fetches.map((f) => [f.init.keepalive, f.init.credentials])).toEqual([[true, 'omit']]);
    expect(net.fetches[0].json.events.map((e) => e.name)).toEqual(['last-click']);
  });

  it('uses sendBeacon at exit only where keepalive fetch does not exist; a beacon confirms nothing', async () => {
    const net = stubNetwork();
    await startSending({ flushIntervalMs: 60_000 });
    client!.track('last-click');
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    expect(net.beacons.flatMap((b) => b.json.events.map((e) => e.name))).toEqual(['last-click']);
    // the page lives on here: visibilitychange after pagehide sends nothing twice
    hidePage();
    await client!.flush();
    expect(net.fetches).toHaveLength(0);
    expect(client!.stats()).toMatchObject({ sent: 0, buffered: 1 });
  });
  it('an exit before what sends has loaded sends nothing; a page that lives on sends its events once it has', async () => {
    withKeepaliveFetch();
    const net = stubNetwork();
    start({ flushIntervalMs: 60_000 });
    client!.track('early');
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    expect(net.fetches).toHaveLength(0);
    await client!.flush();
    expect(net.fetches.flatMap((f) => f.json.events.map((e) => e.name))).toEqual(['early']);
    expect(client!.stats()).toMatchObject({ sent: 1, buffered: 0 });
  });
  it('drops a batch answered 400 and counts it as rejected', async () => {
    stubNetwork(() => 400);
    start();
    client!.track('x');
    client!.track('y');
    await client!.flush();
    expect(client!.stats()).toMatchObject({ rejected: 2, sent: 0, buffered: 0, dropped: { rejected: 2 } });
  });

  it('retries a 503 later with the same batch and event ids', async () => {
    vi.useFakeTimers();
    const net = stubNetwork((n) => (n == 1 ? 503 : 200));
    start();
    client!.track('x');
    await client!.flush();
    expect(client!.stats()).toMatchObject({ retrying: 1, sent: 0 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(net.fetches).toHaveLength(2);
    expect(net.fetches[1].json.batch).toBe(net.fetches[0].json.batch);
    expect(net.fetches[1].json.events[0].id).toBe(net.fetches[0].json.events[0].id);
    expect(client!.stats()).toMatchObject({ retrying: 0, sent: 1 });
  });

  it('sends nothing to the endpoint while a 429 Retry-After runs', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const net = stubNetwork((n) => (n == 1 ? { status: 429, headers: { 'Retry-After': '30' } } : 200));
    start();
    client!.track('x');
    await client!.flush();
    expect(client!.stats().rateLimitedUntil).toBe(1_700_000_030_000);
    client!.track('y');
    await client!.flush();
    hidePage();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(net.fetches).toHaveLength(1);
    expect(net.beacons).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(net.events().map((e) => e.name).sort()).toEqual(['x', 'x', 'y']);
  });
});

describe('pacing', () => {
  it('a token bucket delays requests over the rate instead of dropping them', async () => {
    vi.useFakeTimers();
    const net = stubNetwork();
    start({ batchSize: 1, maxRequestsPerMinute: 2 });
    for (let i = 0; i < 4; i++) client!.track('e', { i });
    await vi.advanceTimersByTimeAsync(1);
    expect(net.fetches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(net.fetches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(31_000);
    expect(net.fetches).toHaveLength(4);
    expect(client!.stats()).toMatchObject({ sent: 4, dropped: { rate: 0, count: 0 } });
  });

  it('pauses while offline and sends when the browser is back online', async () => {
    const net = stubNetwork();
    const online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    start({ flushIntervalMs: 0 });
    client!.track('offline');
    await client!.flush();
    expect(net.fetches).toHaveLength(0);
    online.mockReturnValue(true);
    dispatchEvent(new Event('online'));
    await client!.flush();
    expect(net.events().map((e) => e.name)).toEqual(['offline']);
  });
});

describe('the client', () => {
  it('returns the running client from a second init(), with a debug warning', () => {
    stubNetwork();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const a = start({ debug: true });
    const b = init({ endpoint: 'https://other.example', app: 'other', debug: true });
    expect(b).toBe(a);
    expect(warn).toHaveBeenCalledWith('telltale:', expect.stringContaining('init() was called again'));
  });

  it('emits each event and each batch to listeners, and a throwing listener breaks nothing', async () => {
    stubNetwork();
    vi.useFakeTimers();
    start();
    const seen: string[] = [];
    client!.on('event', () => {
      throw new Error('listener bug');
    });
    const data: unknown[] = [];
    const off = client!.on('event', (e) => (seen.push(e.name as string), data.push(e.data)));
    const batches: number[] = [];
    client!.on('batch', (b) => batches.push(b.events));
    client!.track('a', { email: 'jane@example.com' });
    // listeners hear an event once it is scrubbed and handed to the buffer, after the task
    expect(seen).toEqual([]);
    // the client's start, then the drain's task
    await vi.advanceTimersByTimeAsync(DRAIN_DELAY_MS + 1);
    off();
    client!.track('b');
    await client!.flush();
    expect(seen).toEqual(['a']);
    // scrubbed before anyone hears of it
    expect(data).toEqual([{ email: '[email]' }]);
    expect(batches).toEqual([2]);
  });

  it('tells stats listeners when delivery changes, once per task', async () => {
    stubNetwork();
    start();
    const seen: number[] = [];
    client!.on('stats', (s) => seen.push(s.sent));
    for (let i = 0; i < 3; i++) client!.track('a');
    await client!.flush();
    await new Promise((r) => setTimeout(r, 5));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(4);
    expect(seen[seen.length - 1]).toBe(3);
  });

  it('does nothing after shutdown()', async () => {
    const net = stubNetwork();
    start();
    client!.track('a');
    await client!.shutdown();
    client!.track('b');
    await settle();
    expect(net.events().map((e) => e.name)).toEqual(['a']);
  });

  it('is a no-op client when the browser sends Do-Not-Track: nothing stored or sent, at flush or exit', async () => {
    const net = stubNetwork();
    vi.spyOn(navigator, 'doNotTrack', 'get').mockReturnValue('1');
    start();
    client!.track('a');
    client!.setUser('u1');
    await settle();
    await client!.flush();
    hidePage();
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    await settle();
    expect(client!.stats()).toMatchObject({ disabled: 'dnt', buffer: 'none', buffered: 0, sent: 0 });
    expect(net.fetches).toHaveLength(0);
    expect(net.beacons).toHaveLength(0);
    expect(sessionStorage.length).toBe(0);
  });
});
