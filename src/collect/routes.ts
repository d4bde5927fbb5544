import { attempt } from '../lib/attempt';
import { listen } from '../lib/listen';
import { scrubPath, scrubText } from '../privacy/scrub';
import type { Collector } from '../types';

/** Single-page navigations (History API, popstate, hashchange, or the Navigation API) as `route` events. */
export const routes: Collector = (recorder, options) => {
  // a URL's route: its scrubbed path; a hash router's `#/path` (no query) counts as part of it
  const routeOf = (href: string) => {
    const hashRoute = /#!?(\/[^?]*)/.exec(href);
    return scrubPath(href, options.allowParams) + (hashRoute ? '#' + scrubText(hashRoute[1]) : '');
  };
  // the URL at init(), scrubbed at the first navigation: init() only reads it
  const hrefAtInit = location.href;
  let from: string | undefined;
  const check = () => {
    from ??= routeOf(hrefAtInit);
    const to = routeOf(location.href);
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
