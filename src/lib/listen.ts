import type { Recorder } from '../types';
import { guard } from './attempt';

/**
 * Adds a guarded capturing listener for each of the space-separated `types`; returns their
 * remover. Capturing on `window` also sees what is dispatched on `document`.
 */
export const listen = <E extends Event>(r: Recorder, target: EventTarget, types: string, fn: (e: E) => unknown): (() => void) => {
  const h = guard(r, fn as (e: Event) => unknown);
  const list = types.split(' ');
  list.forEach((t) => target.addEventListener(t, h, true));
  return () => list.forEach((t) => target.removeEventListener(t, h, true));
};
