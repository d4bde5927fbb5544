import { attempt, noop } from './lib/attempt';
import { randomId } from './lib/id';

/** The sessionStorage key of the session; the only key telltale writes there. */
export const SESSION_KEY = 'telltale.session';
const SESSION_IDLE_MS = 30 * 60_000;
const SESSION_MAX_MS = 4 * 3_600_000;
// Writing sessionStorage on every event would cost more than the event itself.
const TOUCH_EVERY_MS = 5_000;

/** A session as sessionStorage keeps it. */
export interface Session {
  id: string;
  /** Epoch ms of its first event. */
  start: number;
  /** Epoch ms of its latest event. */
  last: number;
  /** `error` events sent in it, for the per-session cap. */
  errors?: number;
}

/** The tab's session, shared by its reloads and pages. */
export interface SessionStore {
  /** The session current at `now` (epoch ms): the one kept, or a new one after 30 minutes idle or 4 hours. */
  at(now: number): Session;
  /** Writes the session now (after a change the next page must see, such as its error count). */
  save(): void;
  /** Deletes the session from sessionStorage (consent withdrawn); this page keeps none either. */
  remove(): void;
}

const readStored = (): Session | undefined => attempt(noop, () => JSON.parse(sessionStorage.getItem(SESSION_KEY)!));

/** A session (as read back, maybe not one at all) that is neither idle too long nor too old at `now`. */
const isCurrent = (session: Session | undefined, now: number): session is Session =>
  typeof session?.id == 'string' && now - session.last <= SESSION_IDLE_MS && now - session.start <= SESSION_MAX_MS;

/**
 * The session kept in sessionStorage, so reloads and pages of the same tab share it.
 * Storage may be full or blocked: the session then lives for this page.
 */
export const createSession = (): SessionStore => {
  let session: Session | undefined;
  let savedAt = 0;
  const save = () => attempt(noop, () => sessionStorage.setItem(SESSION_KEY, JSON.stringify(session)));
  return {
    at(now) {
      // read with the first event, not in init(): a page's first storage access is slow
      session ??= readStored();
      if (!isCurrent(session, now)) {
        session = { id: randomId() + randomId(), start: now, last: now };
        savedAt = 0;
      }
      session.last = now;
      if (now - savedAt >= TOUCH_EVERY_MS) {
        save();
        savedAt = now;
      }
      return session;
    },
    save,
    remove() {
      session = undefined;
      attempt(noop, () => sessionStorage.removeItem(SESSION_KEY));
    },
  };
};
