import type { RecordedEvent } from '../pipeline';
import type { Consent } from '../types';

/** True for the two choices `setConsent()` accepts. */
export const isConsent = (choice: unknown): choice is Consent => choice === 'granted' || choice === 'denied';

/** Events recorded while consent is required and not given yet. */
export interface ConsentHold {
  /** Keeps the event while consent is pending and says true; false once there is nothing to wait for. */
  hold(event: RecordedEvent): boolean;
  /** Ends the wait (consent given or denied): hands back what was held; later events pass. */
  release(): RecordedEvent[];
}

/**
 * With `requireConsent`, events wait here, in memory only, until the site's `setConsent()`:
 * nothing is stored on the device or sent before. Past `maxEvents` the oldest held event
 * goes first (`onOverflow` counts it).
 */
export const createConsentHold = (required: boolean, maxEvents: number, onOverflow: () => void): ConsentHold => {
  let held: RecordedEvent[] | undefined = required ? [] : undefined;
  return {
    hold(event) {
      if (!held) return false;
      held.push(event);
      if (held.length > maxEvents) {
        held.shift();
        onOverflow();
      }
      return true;
    },
    release() {
      const events = held ?? [];
      held = undefined;
      return events;
    },
  };
};
