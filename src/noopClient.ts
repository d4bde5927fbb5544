import { createClient } from './client';
import { noop } from './lib/attempt';
import type { Config } from './options';
import type { Client, DisabledReason } from './types';

/** The client of a disabled SDK (SSR, Do-Not-Track, ...): every call is accepted and does nothing. */
export const createNoopClient = (disabled: DisabledReason): Client => createClient({} as Config, {}, noop, disabled);
