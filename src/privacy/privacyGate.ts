import { attempt } from '../lib/attempt';
import type { Config } from '../options';
import type { SessionStore } from '../session';
import type { RemovedCounts, Signal, TelltaleEvent } from '../types';
import { sampled, sampleScore } from './sampling';
import { scrubEvent } from './scrubEvent';

/** What every event passes after the task that recorded it, before it is stored. */
export interface PrivacyGate {
  /** The event as it may be stored and sent, or undefined when a gate removed it (counted in `removed`). */
  check(event: TelltaleEvent): TelltaleEvent | undefined;
  /** True once the current session is known to be out of the session sample. */
  sampledOut(): boolean;
}

/**
 * The privacy gate, in this order: the session's sample and the signal's rate, the session's
 * error cap, scrubbing of personal data, then the site's `beforeSend` (last, on the scrubbed
 * event). It reads and touches the session, so it runs after the recording task: a page's first
 * storage access costs milliseconds.
 * @param removed counters of `stats().removed`, raised here
 * @param onSession the event belongs to a session other than the previous event's
 */
export const createPrivacyGate = (
  config: Config,
  session: SessionStore,
  removed: RemovedCounts,
  onError: (error: unknown) => void,
  onSession: (sessionId: string) => void,
): PrivacyGate => {
  let sessionId = '';
  // where the session falls for sampling, in [0, 1)
  let score = 0;

  const keeps = (event: TelltaleEvent): boolean => {
    const current = session.at(event.t);
    if (current.id != sessionId) {
      sessionId = current.id;
      score = sampleScore(sessionId);
      onSession(sessionId);
    }
    // a signal's rate is named by its event type in the plural (`inference` as it is)
    const signalRate = config.sampling[(event.type + 's') as Signal] ?? config.sampling[event.type as Signal];
    if (!sampled(score, config.sampleRate, signalRate)) {
      removed.sampled++;
      return false;
    }
    if (event.type == 'error') {
      // the cap holds for the session, across its pages
      const errorsSent = current.errors ?? 0;
      if (errorsSent >= config.maxErrors) {
        removed.maxErrors++;
        return false;
      }
      current.errors = errorsSent + 1;
      session.save();
    }
    return true;
  };

  return {
    check(event) {
      if (!keeps(event)) return undefined;
      scrubEvent(event);
      if (!config.beforeSend) return event;
      // a beforeSend that throws is counted and leaves the event as it is
      const result = attempt(onError, config.beforeSend, event);
      if (result === null || result === false) {
        removed.beforeSend++;
        return undefined;
      }
      return result && typeof result == 'object' ? result : event;
    },
    sampledOut: () => sessionId != '' && !sampled(score, config.sampleRate),
  };
};
