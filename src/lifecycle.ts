import type { Part, Recorder } from './internal';
import { attempt, noop } from './lib/attempt';
import { listen } from './lib/listen';
import type { Sender } from './transport/sender';

/** The client's life once started: what it does when the page leaves, and how it ends. */
export interface Lifecycle {
  /** What the parts hold (summaries, error repeats) and the queue go to the buffer now. */
  settle(): void;
  /** Stops every part, the page-exit listeners and the sender at once: nothing more is recorded or sent. */
  halt(): void;
}

/**
 * Watches the page's exit. Hidden or frozen, the page may come back: what is left goes by
 * keepalive fetch, whose answer can confirm it. A pagehide not kept in the back/forward cache is
 * an unload. The listeners are not capturing and sit on the event's target, so they run after
 * every capturing listener (the vitals report there), whenever that was added.
 * @param drain the pipeline's drain: what was recorded goes to the buffer
 * @param sender the sender, once the buffer is open
 * @param onHalt after `halt()` (the running client is forgotten)
 */
export const startLifecycle = (
  recorder: Recorder,
  parts: Part[],
  drain: () => void,
  sender: () => Sender | undefined,
  onHalt: () => void,
): Lifecycle => {
  const settle = () => {
    for (const part of parts) attempt(recorder.internal, part.flush ?? noop);
    drain();
  };
  const onExit = (event: Event) => {
    if (event.type == 'visibilitychange' && document.visibilityState != 'hidden') return;
    settle();
    const unload = event.type == 'pagehide' && !(event as PageTransitionEvent).persisted;
    sender()?.exit(unload);
  };
  const stopWatching = [
    listen(recorder, document, 'visibilitychange freeze', onExit, false),
    listen(recorder, window, 'pagehide', onExit, false),
  ];
  return {
    settle,
    halt() {
      for (const part of parts) attempt(recorder.internal, part.stop);
      for (const stop of stopWatching) stop();
      sender()?.stop();
      onHalt();
    },
  };
};
