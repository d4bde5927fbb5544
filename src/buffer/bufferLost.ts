import type { BufferLoss } from '../types';

/** The name of the error a store call gets because the worker's IndexedDB store was given up. */
const BUFFER_LOST = 'BufferLost';

/**
 * The error of a call the worker's IndexedDB store can no longer answer; its message is the reason
 * (its name and message are what cross comlink). It is no fault of the SDK's: the page hands what it
 * holds to memory, so nothing is lost, and it does not count in `stats().internalErrors`.
 */
export const bufferLostError = (reason: BufferLoss): Error => Object.assign(new Error(reason), { name: BUFFER_LOST });

/** Why the store was given up, when that is why a store call failed. */
export const lossOf = (error: unknown): BufferLoss | undefined =>
  (error as Error | undefined)?.name == BUFFER_LOST ? ((error as Error).message as BufferLoss) : undefined;
