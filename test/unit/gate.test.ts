// The privacy gate of the client: sampling, consent, setUser hashing, beforeSend, the error cap.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errors, init, initWith, type Client, type Options } from '../../src/index';
import { randomId } from '../../src/lib/id';
import { sampleScore } from '../../src/privacy/sampling';
import type { Sender } from '../../src/transport/sender';
import { drained, hidePage, settle, stubNetwork } from './helpers';

/** Every sender the clients create, with the callback another tab's consent withdrawal reaches. */
const senders = vi.hoisted(() => [] as { sender: Sender; onPurged: () => void }[]);
vi.mock('../../src/transport/sender', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/transport/sender')>();
  return {
    ...real,
    createSender: (...args: Parameters<typeof real.createSender>) => {
      const sender = real.createSender(...args);
      senders.push({ sender, onPurged: args[6] });
      return sender;
    },
  };
});

const endpoint = 'https://ingest.example.com/v1/events';
let client: Client | undefined;
const start = (options: Partial<Options> = {}) => (client = initWith({ endpoint, app: 'shop', ...options }, { errors }));
const throwError = (message: string) => window.dispatchEvent(new ErrorEvent('error', { message, error: new Error(message), filename: 'https://x.example/app.js?v=1', lineno: 1 }));
/** A session id whose sampling score lies in [lo, hi), stored so the client uses it. */
const sessionScoring = (lo: number, hi: number) => {
  let id: string;
  do id = randomId() + randomId();
  while (sampleScore(id) < lo || sampleScore(id) >= hi);
  sessionStorage.setItem('telltale.session', JSON.stringify({ id, start: Date.now(), last: Date.now() }));
};

/** Records an event and an error, flushes, hides and unloads the page; returns every request made. */
const sentAfterMoreAndExit = async (net: ReturnType<typeof stubNetwork>) => {
  client!.track('after');
  throwError('after');
  await client!.flush();
  hidePage();
  dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
  await settle();
  return [...net.fetches, ...net.beacons];
};

beforeEach(() => {
  sessionStorage.clear();
  senders.length = 0;
});
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('sampling', () => {
  it('a sampled-out session sends nothing, counts what it removed and says why', async () => {
    const net = stubNetwork();
    sessionScoring(0.5, 1);
    start({ sampleRate: 0.5 });
    client!.track('a');
    client!.track('b');
    await client!.flush();
    expect(net.fetches).toHaveLength(0);
    expect(client!.stats()).toMatchObject({ disabled: 'sampled', removed: { sampled: 2 } });
  });

  it('a per-signal rate removes only that signal, and nests inside the session rate', async () => {
    const net = stubNetwork();
    sessionScoring(0.3, 0.4);
    start({ sampleRate: 0.8, sampling: { errors: 0.25 } }); // errors kept below 0.8 × 0.25 = 0.2
    client!.track('kept');
    throwError('removed');
    await client!.flush();
    expect(net.events().map((e) => e.type)).toEqual(['custom']);
    expect(client!.stats().removed.sampled).toBe(1);
    await client!.shutdown();

    start({ sampleRate: 0.8, sampling: { errors: 0.5 } }); // 0.4: the same session now keeps errors
    throwError('kept');
    await client!.flush();
    expect(net.events().map((e) => e.type)).toEqual(['custom', 'error']);
    expect(net.fetches[1].json.session).toBe(net.fetches[0].json.session);
  });

  it('gives a session the same answer on each of its pages', async () => {
    const net = stubNetwork();
    /** Two pages of a session scoring in [lo, hi), each tracking one event; the second stays running. */
    const twoPages = async (lo: number, hi: number) => {
      sessionScoring(lo, hi);
      for (const name of ['first page', 'next page']) {
        await client?.shutdown();
        start({ sampleRate: 0.5 });
        client!.track(name);
        await client!.flush();
      }
    };
    await twoPages(0.5, 1);
    expect(client!.stats()).toMatchObject({ disabled: 'sampled', removed: { sampled: 1 } });
    await twoPages(0, 0.5);
    expect(net.events().map((e) => e.name)).toEqual(['first page', 'next page']);
  });
});

describe('consent', () => {
  it('holds events in memory (no sessionStorage write) until granted, and tells the site the choice', async () => {
    const net = stubNetwork();
    const onConsent = vi.fn();
    start({ requireConsent: true, onConsent });
    client!.track('held');
    await client!.flush();
    expect(net.fetches).toHaveLength(0);
    expect(sessionStorage.length).toBe(0);
    client!.setConsent('granted');
    await client!.flush();
    expect(net.events().map((e) => e.name)).toEqual(['held']);
    expect(onConsent).toHaveBeenCalledWith('granted');
  });

  it("'denied' discards the held events, counts them and stops", async () => {
    const net = stubNetwork();
    start({ requireConsent: true });
    client!.track('a');
    client!.track('b');
    client!.setConsent('denied');
    client!.track('c');
    await client!.flush();
    expect(net.fetches).toHaveLength(0);
    expect(sessionStorage.length).toBe(0);
    expect(client!.stats()).toMatchObject({ disabled: 'consent', removed: { consent: 2 } });
  });

  it('ignores a choice that is not granted or denied: the events stay held until a real choice', async () => {
    const net = stubNetwork();
    const onConsent = vi.fn();
    start({ requireConsent: true, onConsent });
    client!.track('a');
    client!.setConsent('yes' as 'granted');
    client!.setConsent(undefined as unknown as 'denied');
    await client!.flush();
    expect(net.fetches).toHaveLength(0);
    expect(onConsent).not.toHaveBeenCalled();
    expect(client!.stats()).toMatchObject({ disabled: undefined, removed: { consent: 0 } });
    client!.setConsent('granted');
    await client!.flush();
    expect(net.events().map((e) => e.name)).toEqual(['a']);
  });

  it("'denied' after events were stored: the session leaves sessionStorage, the buffer is purged, nothing more is sent", async () => {
    const net = stubNetwork();
    start({ flushIntervalMs: 60_000 });
    client!.track('stored');
    await drained();
    expect(sessionStorage.getItem('telltale.session')).not.toBeNull();
    expect(senders).toHaveLength(1);
    const purge = vi.spyOn(senders[0].sender, 'purge');
    // recorded in the same task: still in memory, dropped with the rest
    client!.track('queued');
    client!.setConsent('denied');
    expect(purge).toHaveBeenCalledTimes(1);
    expect(sessionStorage.getItem('telltale.session')).toBeNull();
    expect(await sentAfterMoreAndExit(net)).toEqual([]);
    expect(sessionStorage.length).toBe(0);
    expect(client!.stats()).toMatchObject({ disabled: 'consent', removed: { consent: 1 } });
  });

  it('another tab denied consent: this one drops what it holds, forgets its session and stops', async () => {
    const net = stubNetwork();
    start({ flushIntervalMs: 60_000 });
    client!.track('stored');
    await drained();
    const purge = vi.spyOn(senders[0].sender, 'purge');
    client!.track('queued');
    senders[0].onPurged();
    expect(sessionStorage.getItem('telltale.session')).toBeNull();
    // the tab that withdrew consent purged the origin's buffer already
    expect(purge).not.toHaveBeenCalled();
    expect(await sentAfterMoreAndExit(net)).toEqual([]);
    expect(client!.stats()).toMatchObject({ disabled: 'consent', removed: { consent: 1 } });
  });
});

describe('setUser', () => {
  it('sends only the SHA-256 of the salted id, in the envelope', async () => {
    const net = stubNetwork();
    start();
    client!.setUser('user-42@example.com');
    // the hash is ready a moment later (crypto.subtle is async)
    await new Promise((r) => setTimeout(r, 300));
    client!.track('a');
    await client!.flush();
    const hex = createHash('sha256').update('shop\nuser-42@example.com').digest('hex');
    expect(net.fetches[0].json.user).toBe(hex);
    expect(net.fetches[0].body).not.toContain('user-42');
    client!.setUser(null);
    client!.track('b');
    await client!.flush();
    expect(net.fetches[1].json).not.toHaveProperty('user');
  });

  it('uses the userSalt option as the salt, and ignores bad ids', async () => {
    const net = stubNetwork();
    start({ userSalt: 'pepper' });
    client!.setUser(42 as unknown as string);
    client!.setUser('u');
    // the hash is ready a moment later (crypto.subtle is async)
    await new Promise((r) => setTimeout(r, 300));
    client!.track('a');
    await client!.flush();
    expect(net.fetches[0].json.user).toBe(createHash('sha256').update('pepper\nu').digest('hex'));
  });

  it('without userSalt warns once in debug that the hash is pseudonymous only; with one, never', async () => {
    stubNetwork();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const saltWarnings = () => warn.mock.calls.filter((call) => String(call[1]).includes('userSalt'));
    start({ debug: true });
    client!.setUser('a@example.com');
    client!.setUser('b@example.com');
    client!.setUser(null);
    client!.setUser('c@example.com');
    expect(saltWarnings()).toHaveLength(1);
    expect(saltWarnings()[0][1]).toMatch(/pseudonymous/);
    await client!.shutdown();
    start({ debug: true, userSalt: 'site secret' });
    client!.setUser('a@example.com');
    expect(saltWarnings()).toHaveLength(1);
  });
});

describe('beforeSend', () => {
  it('sees the scrubbed event last; can change or drop it; its errors stay inside', async () => {
    const net = stubNetwork();
    start({
      beforeSend: (e) => {
        if (e.name == 'drop') return null;
        if (e.name == 'boom') throw new Error('site bug');
        return { ...e, seen: (e.data as { email: string }).email };
      },
    });
    client!.track('keep', { email: 'jane@example.com' });
    client!.track('drop', { email: 'x' });
    client!.track('boom', { email: 'y' });
    await client!.flush();
    expect(net.events().map((e) => [e.name, e.seen])).toEqual([
      ['keep', '[email]'],
      ['boom', undefined],
    ]);
    expect(client!.stats()).toMatchObject({ removed: { beforeSend: 1 }, internalErrors: 1 });
  });
});

describe('errors', () => {
  it('sends an error once, its repeats as a count at the next flush', async () => {
    const net = stubNetwork();
    start();
    for (let i = 0; i < 4; i++) throwError('same');
    await client!.flush();
    expect(net.events().map((e) => [e.message, e.source, e.file, e.repeats])).toEqual([
      ['same', 'error', 'https://x.example/app.js', undefined],
      ['same', 'error', 'https://x.example/app.js', 3],
    ]);
  });

  it('sends at most maxErrors per session, across pages of the session', async () => {
    const net = stubNetwork();
    start({ maxErrors: 3 });
    for (let i = 0; i < 5; i++) throwError('e' + i);
    await client!.flush();
    expect(net.events()).toHaveLength(3);
    expect(client!.stats().removed.maxErrors).toBe(2);
    await client!.shutdown();
    // the next page of the same session has no errors left
    start({ maxErrors: 3 });
    throwError('next page');
    await client!.flush();
    expect(net.events()).toHaveLength(3);
  });

  it('collect: { errors: false } leaves errors alone', async () => {
    const net = stubNetwork();
    start({ collect: { errors: false } });
    throwError('x');
    await client!.flush();
    expect(net.fetches).toHaveLength(0);
  });
});

describe('collectors', () => {
  it('a collector that throws when it starts is counted, never thrown into the page', async () => {
    stubNetwork();
    client = initWith({ endpoint, app: 'shop' }, {
      errors: () => {
        throw new Error('broken collector');
      },
    });
    expect(client.stats().internalErrors).toBe(1);
  });

  it('init() starts every collector: a click becomes an interaction', async () => {
    const net = stubNetwork();
    client = init({ endpoint, app: 'shop' });
    document.body.innerHTML = '<button id="b">b</button>';
    (document.getElementById('b') as HTMLButtonElement).click();
    await settle();
    await client.flush();
    expect(net.events()).toContainEqual(expect.objectContaining({ type: 'interaction', target: 'button#b' }));
  });
});

describe('routes without the Navigation API (history patched)', () => {
  it('records pushState, replaceState and popstate, and restores history at shutdown', async () => {
    expect((window as { navigation?: unknown }).navigation).toBeUndefined();
    history.replaceState(null, '', '/home?email=jane@example.com');
    const net = stubNetwork();
    const push = history.pushState;
    client = initWith({ endpoint, app: 'shop' }, { routes: (await import('../../src/index')).routes });
    history.pushState(null, '', '/users/88012345');
    history.replaceState(null, '', '/users/88012345?tab=2');
    history.replaceState(null, '', '/settings');
    history.replaceState(null, '', '/home');
    window.dispatchEvent(new PopStateEvent('popstate'));
    await client.flush();
    expect(net.events().map((e) => [e.from, e.to])).toEqual([
      ['/home', '/users/[number]'],
      ['/users/[number]', '/settings'],
      ['/settings', '/home'],
    ]);
    await client.shutdown();
    expect(history.pushState).toBe(push);
  });
});
