import { vi } from 'vitest';
import { DRAIN_DELAY_MS } from '../../src/drainSchedule';

export interface Sent {
  url: string;
  body: string;
  init: RequestInit;
  json: { batch: string; events: { id: string; type: string; [k: string]: unknown }[]; [k: string]: unknown };
}

/** Replaces fetch and sendBeacon; each request is recorded and answered with `status()`. */
export const stubNetwork = (status: (n: number) => number | { status: number; headers?: Record<string, string> } = () => 200) => {
  const fetches: Sent[] = [];
  const beacons: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      fetches.push({ url, body: String(init.body), init, json: JSON.parse(String(init.body)) });
      const s = status(fetches.length);
      const { status: code, headers = {} } = typeof s == 'number' ? { status: s } : s;
      if (code == 0) throw new TypeError('Failed to fetch');
      return new Response(null, { status: code, headers });
    }),
  );
  vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, body) => {
    beacons.push({ url: String(url), body: String(body), init: {}, json: JSON.parse(String(body)) });
    return true;
  });
  return { fetches, beacons, events: () => [...fetches, ...beacons].flatMap((s) => s.json.events) };
};

/** Lets queued microtasks (the hand-off to the buffer) and settled fetches run. */
export const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** Waits (in real time) until the events recorded so far have gone through the gate to the buffer. */
export const drained = () => new Promise((resolve) => setTimeout(resolve, DRAIN_DELAY_MS + 20));

export const hidePage = () => {
  Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
};
