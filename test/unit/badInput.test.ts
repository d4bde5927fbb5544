import { afterEach, describe, expect, it, vi } from 'vitest';
import { init, type Client } from '../../src/index';
import { clean } from '../../src/lib/clean';
import { stubNetwork } from './helpers';

let client: Client | undefined;
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const circular = () => {
  const a: Record<string, unknown> = { name: 'a' };
  a.self = a;
  a.list = [a, { back: a }];
  return a;
};
const throwingGetter = () =>
  Object.defineProperty({ ok: 1 }, 'boom', {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });
const hostileProxy = () =>
  new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('trap');
      },
    },
  );

describe('bad input never reaches the page as an exception', () => {
  it('drops what cannot be an event, cleans what can, and counts both', async () => {
    const net = stubNetwork();
    client = init({ endpoint: 'https://ingest.example.com', app: 'shop' });
    const t = client.track as (...a: unknown[]) => void;
    expect(() => {
      t(undefined);
      t(Symbol('x'));
      t('');
      t(42);
      t('circular', circular());
      t('huge', { s: 'x'.repeat(5 * 1024 * 1024) });
      t('symbol', { s: Symbol('s'), fn: () => 1 });
      t('getter', throwingGetter());
      t('proxy', hostileProxy());
      t('bigint', { n: 10n, inf: Infinity, when: new Date(0), err: new TypeError('bad') });
      t('deep', { a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } });
      t('many', Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])));
    }).not.toThrow();
    await client.flush();

    const byName = Object.fromEntries(net.events().map((e) => [e.name, e]));
    expect(Object.keys(byName).sort()).toEqual(['bigint', 'circular', 'deep', 'getter', 'huge', 'many', 'proxy', 'symbol']);
    expect(byName.circular.data).toEqual({ name: 'a', list: [null, {}] });
    expect((byName.huge.data as { s: string }).s.length).toBeLessThanOrEqual(1001);
    expect(byName.symbol.data).toEqual({});
    expect(byName.getter.data).toEqual({ ok: 1 });
    expect(byName.proxy.data).toEqual({});
    expect(byName.bigint.data).toEqual({ n: '10', inf: null, when: '1970-01-01T00:00:00.000Z', err: { name: 'TypeError', message: 'bad' } });
    expect(Object.keys(byName.many.data as object)).toHaveLength(50);
    for (const s of net.fetches) for (const e of s.json.events) expect(JSON.stringify(e).length).toBeLessThanOrEqual(16_384);

    const stats = client.stats();
    expect(stats.dropped.invalid).toBe(4);
    // circular, huge, symbol, getter, proxy, bigint (Infinity), deep, many
    expect(stats.cleaned).toBe(8);
    expect(stats.internalErrors).toBe(0);
  });

  it('survives a host page with a corrupt stored session, a console that throws and a sessionStorage that refuses writes', async () => {
    const net = stubNetwork();
    const setItem = vi.fn(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    vi.stubGlobal('sessionStorage', { getItem: () => '{"id":"broken', setItem, removeItem: () => {} });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {
      throw new Error('console gone');
    });
    client = init({ endpoint: 'https://ingest.example.com', app: 'shop', debug: true });
    expect(() => client!.track('x', circular())).not.toThrow();
    await client.flush();
    expect(net.events().map((e) => e.name)).toEqual(['x']);
    // a new session replaced the unreadable one, for this page only
    expect(net.fetches[0].json.session).toMatch(/^[0-9a-f]{32}$/);
    expect(setItem).toHaveBeenCalled();
    // the cleaned data was reported to the console that throws
    expect(warn).toHaveBeenCalled();
    expect(client.stats()).toMatchObject({ cleaned: 1, internalErrors: 0 });
  });

  it('gives an event without data (undefined or null) empty data, cleaning nothing', async () => {
    const net = stubNetwork();
    client = init({ endpoint: 'https://ingest.example.com', app: 'shop' });
    client.track('none');
    client.track('null', null as never);
    await client.flush();
    expect(net.events().map((e) => [e.name, e.data])).toEqual([
      ['none', {}],
      ['null', {}],
    ]);
    expect(client.stats().cleaned).toBe(0);
  });

  it('on() and every method accept nonsense without throwing, and record nothing from it', async () => {
    const net = stubNetwork();
    client = init({ endpoint: 'https://ingest.example.com', app: 'shop', requireConsent: true });
    const c = client as unknown as Record<string, (...a: unknown[]) => unknown>;
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const nonsense = [undefined, null, 42, 'x', {}, [], () => {}, Symbol('s'), new Proxy({}, { get: () => { throw new Error('trap'); } })];
    for (const value of nonsense) {
      expect(() => c.on(value, value)).not.toThrow();
      expect(() => c.on('event', value)).not.toThrow();
      expect(() => c.setUser(value)).not.toThrow();
      expect(() => c.setConsent(value)).not.toThrow();
      expect(() => c.track(value, value)).not.toThrow();
    }
    // of all these ids only 'x', a non-empty string, is hashed
    expect(digest).toHaveBeenCalledTimes(1);
    // on() always hands back a remover
    expect(c.on('event', 'not a function')).toBeTypeOf('function');
    expect(c.stats()).toMatchObject({ disabled: undefined, removed: { consent: 0 } });
    // no nonsense choice granted or denied consent; the one real choice sends the one real event
    c.setConsent('granted');
    await expect(c.flush()).resolves.toBeUndefined();
    expect(net.events().filter((e) => e.type == 'custom').map((e) => e.name)).toEqual(['x']);
    await expect(c.shutdown()).resolves.toBeUndefined();
  });
});

describe('clean()', () => {
  it('leaves plain data alone', () => {
    const data = { a: 1, b: 'two', c: [true, null, { d: 'e' }] };
    expect(clean(data, 15_000)).toEqual({ value: data, changed: false });
  });

  it('keeps a shared (non-circular) object everywhere it appears', () => {
    const shared = { x: 1 };
    expect(clean({ a: shared, b: shared }, 15_000).value).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it('keeps the result within the byte budget', () => {
    const { value, changed } = clean(Array.from({ length: 40 }, () => 'ü'.repeat(1000)), 15_000);
    expect(changed).toBe(true);
    expect(new TextEncoder().encode(JSON.stringify(value)).length).toBeLessThan(16_384);
  });
});
