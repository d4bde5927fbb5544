import { listen } from '../lib/listen';
import type { Collector } from '../types';
import { CONTROLS, selector } from './selector';

// Native controls turn Enter/Space into a click themselves.
const NATIVE = 'a,button,input,select,textarea,summary';
// Clicks on the same target within RAGE_WINDOW_MS of the streak's first that make it a rage click.
const RAGE_CLICKS = 3;
const RAGE_WINDOW_MS = 1000;
// Longest text recorded of a clicked control (with captureText), in characters.
const MAX_TEXT_CHARS = 100;

type InteractionEvent = PointerEvent & KeyboardEvent;

/** How the user acted: a click of detail 0 came from the keyboard. */
const actionOf = (event: InteractionEvent): string => {
  if (event.type == 'submit') return 'submit';
  if (event.type == 'keydown' || !event.detail) return 'key';
  return event.pointerType == 'touch' ? 'tap' : 'click';
};

/** Clicks, taps, keyboard activation of controls and form submissions, as `interaction` events. */
export const interactions: Collector = (recorder, options) => {
  let lastTarget = '';
  let streak = 0;
  let streakStart = 0;

  const onEvent = (event: InteractionEvent) => {
    const element = event.target;
    const isKey = event.type == 'keydown';
    // most keys end here, before any walk up the DOM
    if (!(element instanceof Element) || (isKey && event.key != 'Enter' && event.key != ' ')) return;
    const control = element.closest(CONTROLS);
    // a key counts only on a control the browser does not click for it
    if (isKey && (!control || element.closest(NATIVE))) return;
    const target = selector(control || element);
    // rage: the same target again and again within a second
    if (target == lastTarget && event.timeStamp - streakStart < RAGE_WINDOW_MS) streak++;
    else {
      lastTarget = target;
      streak = 1;
      streakStart = event.timeStamp;
    }
    // text only when the site opted in, and never of a form field (its text can be its value)
    const text =
      options.captureText && control && !control.matches('input,select,textarea')
        ? control.textContent!.replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT_CHARS)
        : undefined;
    recorder.record('interaction', {
      action: actionOf(event),
      target,
      rage: (event.type != 'submit' && streak >= RAGE_CLICKS) || undefined,
      text,
    });
  };
  return { stop: listen<InteractionEvent>(recorder, document, 'click keydown submit', onEvent) };
};
