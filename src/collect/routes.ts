import { attempt } from '../lib/attempt';
import { listen } from '../lib/listen';
import { scrubPath, scrubText } from '../privacy/scrub';
import type { Collector } from '../types';

/** Single-page navigations (History API, popstate, hashchange, or the Navigation API) as `route` events. */
export const routes: Collector = (recorder, options) => {
  // a scrubbed path; a hash router's `#/path` (no query) counts as part of it
  const currentRoute = () => {
    const hashRoute = /#!?(\/[^?]*)/.exec(location.href);
    return scrubPath(location.href, options.allowParams) + (hashRoute ? '#' + scrubText(hashRoute[1]) : '');
  };
  let from = currentRoute();
  const check = () => {
    const to = currentRoute();
    if (to == from) return;
    recorder.record('route', { from, to });
    from = to;
  };

  const navigation = (window as { navigation?: EventTarget }).navigation;
  // the Navigation API sees every same-document navigation, history calls included
  if (navigation) return { stop: listen(recorder, navigation, 'currententrychange', check) };

  const restorers = (['pushState', 'replaceState'] as const).map((method) => {
    const original = history[method];
    const patched = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      attempt(recorder.internal, check);
    };
    history[method] = patched;
    return () => {
      // put the original back unless someone wrapped ours since
      if (history[method] == patched) history[method] = original;
    };
  });
  const stopListening = listen(recorder, window, 'popstate hashchange', check);
  return {
    stop() {
      for (const restore of restorers) restore();
      stopListening();
    },
  };
};
