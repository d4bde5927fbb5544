import type { Config } from '../options';
import type { BatchInfo } from '../types';
import type { ClaimResult, EventStore } from '../internal';
import type { Delivery } from './delivery';
import type { KeepaliveBudget } from './keepaliveBudget';
import type { PageEvents } from './pageEvents';
import type { Protocol } from './protocol';

/** What the claim loop works with, shared with the rest of the sender. */
export interface ClaimLoopContext {
  config: Config;
  /** Where a batch goes and in what body, and what an answer means (known before this tab sends). */
  protocol(): Protocol;
  /** Stored event bytes a batch may hold, so that its request body stays under the body cap. */
  maxEventBytes(): number;
  store: EventStore;
  page: PageEvents;
  keepalive: KeepaliveBudget;
  delivery: Delivery;
  /** Whether this tab may send now (it leads, it is not stopped). */
  sends(): boolean;
  /** Events the store holds, of every tab (its last counts). */
  buffered(): number;
  tally(result: ClaimResult['counts']): void;
  /** Tells the origin's other tabs (BroadcastChannel). */
  tell(message: TabMessage): void;
  onBatch(info: BatchInfo): void;
  changed(): void;
  fail(error: unknown): void;
}

/** What tabs sharing the store tell each other. */
export interface TabMessage {
  /** Events another tab took care of. */
  taken?: string[];
  /** The origin is rate limited until then (epoch ms). */
  rateLimitedUntil?: number;
  /** New events wait in the store. */
  appended?: boolean;
  /** Consent was withdrawn: stop, and hold nothing. */
  purged?: boolean;
}
