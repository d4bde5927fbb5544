import type { Recorder } from '../internal';
import { guard } from './attempt';

/**
 * Adds a guarded listener, capturing unless `capture` is false, for each of the space-separated
 * `types`; returns their remover. Capturing on `window` also sees what is dispatched on `document`.
 */
export const listen = <E extends Event>(
  recorder: Recorder,
  target: EventTarget,
  types: string,
  onEvent: (event: E) => unknown,
  capture = true,
): (() => void) => {
  const handler = guard(recorder, onEvent as (event: Event) => unknown);
  const typeList = types.split(' ');
  for (const type of typeList) target.addEventListener(type, handler, capture);
  return () => {
    for (const type of typeList) target.removeEventListener(type, handler, capture);
  };
};
