import type { DisabledReason } from '../types';

/** Why the browser asks not to be tracked (Global Privacy Control or Do-Not-Track), if it does. */
export const doNotTrack = (): DisabledReason | undefined => {
  const n = navigator as Navigator & { globalPrivacyControl?: boolean };
  return n.globalPrivacyControl === true ? 'gpc' : n.doNotTrack === '1' ? 'dnt' : undefined;
};
