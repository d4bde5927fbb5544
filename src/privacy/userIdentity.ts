import { warn } from '../lib/debug';
import { hashUser } from './userHash';

/**
 * `setUser()`: attaches a SHA-256 of the salted id to later events (null detaches it). Until the
 * hash is ready, events carry no user rather than the previous one; of calls still hashing, the
 * latest wins.
 * @param salt the `userSalt` option; without one the app name salts the hash, and as every
 *   envelope carries it, a dictionary of likely ids (e-mails) reverses the hash: pseudonymous only
 * @param setUser where the hash goes (the envelope context); undefined while none is ready
 */
export const createUserIdentity = (
  salt: string | undefined,
  app: string,
  setUser: (hash: string | undefined) => void,
  onError: (error: unknown) => void,
): ((id: string | null) => void) => {
  let calls = 0;
  let warnedNoSalt = false;
  return (id) => {
    if (id !== null && (typeof id != 'string' || !id)) return warn('setUser() needs a string or null, got', id);
    const call = ++calls;
    setUser(undefined);
    if (id === null) return;
    if (salt === undefined && !warnedNoSalt) {
      warnedNoSalt = true;
      warn('setUser() without userSalt: the hash is salted with the app name, which every envelope carries; it is pseudonymous only (a dictionary of ids reverses it). Set userSalt (a value of the site that events never carry) to make it hard to reverse.');
    }
    hashUser(id, salt ?? app).then((hash) => {
      if (call == calls) setUser(hash);
    }, onError);
  };
};
