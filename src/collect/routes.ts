import { attempt } from '../lib/attempt';
import { listen } from '../lib/listen';
import { scrubPath, scrubText } from '../privacy/scrub';
import type { Collector } from '../types';

/** Single-page navigations (History API, popstate, hashchange, or the Navigation API) as `route` events. */
export const routes: Collector = (r, o) => {
  // a scrubbed path; a hash router's `#/path` (no query) counts as part of it
  const route = () => {
    const hash = /#!?(\/[^?]*)/.exec(location.href);
    return scrubPath(location.href, o.allowParams) + (hash ? '#' + scrubText(hash[1]) : '');
  };
  let from = route();
  const check = () => {
    const to = route();
    if (to != from) r.record('route', { from, to }), (from = to);
  };

  const nav = (window as { navigation?: EventTarget }).navigation;
  // the Navigation API sees every same-document navigation, history calls included
  if (nav) return { stop: listen(r, nav, 'currententrychange', check) };

  const undo: (() => unknown)[] = (['pushState', 'replaceState'] as const).map((m) => {
    const original = history[m];
    const patched = function (this: History, ...a: Parameters<History['pushState']>) {
      original.apply(this, a);
      attempt(r.internal, check);
    };
    history[m] = patched;
    // put the original back unless someone wrapped ours since
    return () => history[m] == patched && (history[m] = original);
  });
  undo.push(listen(r, window, 'popstate hashchange', check));
  return { stop: () => undo.forEach((f) => f()) };
};
