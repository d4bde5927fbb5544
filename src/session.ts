import { attempt, noop } from './lib/attempt';
import { randomId } from './lib/id';

const KEY = 'telltale.session';
const SESSION_IDLE_MS = 30 * 60_000;
const SESSION_MAX_MS = 4 * 3_600_000;
// Writing sessionStorage on every event would cost more than the event itself.
const TOUCH_EVERY_MS = 5_000;

/** A session as sessionStorage keeps it. */
export interface Session {
  id: string;
  start: number;
  last: number;
  /** `error` events sent in it, for the per-session cap. */
  errors?: number;
}

/**
 * The session kept in sessionStorage, so reloads and pages of the same tab share it:
 * `at(now)` is the current one, renewed after 30 minutes idle or 4 hours; `save()` writes it now.
 * Storage may be full or blocked: the session then lives for this page.
 */
export const createSession = () => {
  let s: Session | undefined;
  let saved = 0;
  const save = () => attempt(noop, () => sessionStorage.setItem(KEY, JSON.stringify(s)));
  return {
    at(t: number): Session {
      // read with the first event, not in init(): a page's first storage access is slow. Once read,
      // `s` is always a session (the one kept, or a new one)
      s ||= attempt(noop, () => JSON.parse(sessionStorage.getItem(KEY)!));
      if (typeof s?.id != 'string' || t - s.last > SESSION_IDLE_MS || t - s.start > SESSION_MAX_MS)
        (s = { id: randomId() + randomId(), start: t, last: t }), (saved = 0);
      s.last = t;
      if (t - saved >= TOUCH_EVERY_MS) save(), (saved = t);
      return s;
    },
    save,
  };
};
