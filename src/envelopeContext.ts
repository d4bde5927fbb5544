import type { AppInfo } from './types';

/** The envelope fields each event is stored with. */
export interface EnvelopeContext {
  /** `JSON.stringify({ app, session, user })`: what the buffer groups batches by. */
  json(): string;
  setSession(sessionId: string): void;
  setUser(hash: string | undefined): void;
}

/**
 * The envelope context (app, session, user) as the JSON string stored beside every event, so
 * that a batch never mixes sessions or users. Rebuilt only when the session or the user changes.
 */
export const createEnvelopeContext = (app: AppInfo): EnvelopeContext => {
  let session = '';
  let user: string | undefined;
  let json = '';
  const rebuild = () => {
    json = JSON.stringify({ app, session, user });
  };
  rebuild();
  return {
    json: () => json,
    setSession(sessionId) {
      session = sessionId;
      rebuild();
    },
    setUser(hash) {
      user = hash;
      rebuild();
    },
  };
};
