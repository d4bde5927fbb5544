import { listen } from '../lib/listen';
import type { Collector } from '../types';
import { CONTROLS, selector } from './selector';

// Native controls turn Enter/Space into a click themselves.
const NATIVE = 'a,button,input,select,textarea,summary';
const RAGE_CLICKS = 3;
const RAGE_MS = 1000;

/** Clicks, taps, keyboard activation of controls and form submissions, as `interaction` events. */
export const interactions: Collector = (r, o) => {
  let last = '';
  let streak = 0;
  let since = 0;
  return {
    stop: listen<PointerEvent & KeyboardEvent>(r, document, 'click keydown submit', (e) => {
      const t = e.target;
      const type = e.type;
      // most keys end here, before any walk up the DOM
      if (!(t instanceof Element) || (type == 'keydown' && e.key != 'Enter' && e.key != ' ')) return;
      const control = t.closest(CONTROLS);
      if (type == 'keydown' && !(control && !t.closest(NATIVE))) return;
      const target = selector(control || t);
      // rage: the same target again and again within a second
      if (target == last && e.timeStamp - since < RAGE_MS) streak++;
      else (last = target), (streak = 1), (since = e.timeStamp);
      r.record('interaction', {
        // a click of detail 0 came from the keyboard
        action: type == 'submit' ? type : type == 'keydown' || !e.detail ? 'key' : e.pointerType == 'touch' ? 'tap' : 'click',
        target,
        rage: (type != 'submit' && streak >= RAGE_CLICKS) || undefined,
        // text only when the site opted in, and never of a form field (its text can be its value)
        text:
          o.captureText && control && !control.matches('input,select,textarea')
            ? control.textContent!.replace(/\s+/g, ' ').trim().slice(0, 100)
            : undefined,
      });
    }),
  };
};
