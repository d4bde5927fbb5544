import type { Recorder } from '../internal';
import { guard } from './attempt';

/**
 * Adds a guarded listener, capturing unless `capture` is false, for each of the space-separated
 * `types`; returns their remover. Capturing on `window` also sees what is dispatched on `document`.
 */
export const listen = <E extends Event>(r: Recorder, target: EventTarget, types: string, fn: (e: E) => unknown, capture = true): (() => void) => {
  const h = guard(r, fn as (e: Event) => unknown);
  const list = types.split(' ');
  list.forEach((t) => target.addEventListener(t, h, capture));
  return () => list.forEach((t) => target.removeEventListener(t, h, capture));
};
