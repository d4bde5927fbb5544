import { vitals } from './collect/vitals';
import { errors } from './collect/errors';
import { interactions } from './collect/interactions';
import { longTasks } from './collect/longTasks';
import { routes } from './collect/routes';
import { createClient } from './client';
import { warn } from './lib/debug';
import { inBrowser } from './lib/env';
import { createNoopClient } from './noopClient';
import { readOptions, type Config } from './options';
import { doNotTrack } from './privacy/doNotTrack';
import type { Client, Collector, CollectorName, DisabledReason, Options } from './types';

/** The SDK's version (package.json's), as sent in every envelope's `sdk`. */
export { VERSION as version } from './lib/version';
export type * from './types';
/** The collectors, for `initWith(options, { errors, routes })`: the ones not passed are left out of the bundle. */
export { errors, interactions, longTasks, routes, vitals };

let running: Client | undefined;

/** Why the SDK must do nothing here, before anything is created: not a browser, or DNT/GPC honoured. */
const disabledReason = (config: Config): DisabledReason | undefined => {
  if (!inBrowser()) return 'ssr';
  return config.respectDoNotTrack ? doNotTrack() : undefined;
};

/**
 * Starts telltale with only the collectors given (`{ errors, routes }`), so a
 * bundler leaves the others (and the vitals' measuring chunk) out. Throws a TypeError on a bad
 * option; nothing else it does ever throws. A second call returns the running client.
 */
export const initWith = (options: Options, collectors: { [K in CollectorName]?: Collector }): Client => {
  const config = readOptions(options);
  if (running) {
    warn('init() was called again: options ignored');
    return running;
  }
  // with DNT/GPC nothing is created, stored or sent
  const reason = disabledReason(config);
  if (reason) return createNoopClient(reason);
  running = createClient(config, collectors, () => {
    running = undefined;
  });
  return running;
};

/** Starts telltale with every collector (each can be switched off by `collect`). */
export const init = (options: Options): Client => initWith(options, { vitals, interactions, routes, errors, longTasks });
