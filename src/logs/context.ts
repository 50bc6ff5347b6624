import type { AccountScope, Clock } from '../core/index.js';
import type { Store } from '../store/index.js';
import type { LogStore } from './store.js';

/** What the Logs provider is built from; the composition root supplies real parts. */
export interface LogsDeps {
  /** The shared database (Logs keeps its own tables) and the tag repository. */
  readonly store: Pick<Store, 'db' | 'tags'>;
  readonly clock: Clock;
  readonly scope: AccountScope;
  /** Events FilterLogEvents examines per call before answering with a nextToken (default 50,000). */
  readonly filterScanLimit?: number;
}

/** What each operation area works with. */
export interface LogsContext {
  readonly logs: LogStore;
  readonly tags: Store['tags'];
  readonly clock: Clock;
  readonly scope: AccountScope;
  readonly filterScanLimit: number;
}

export function nowMs(ctx: LogsContext): number {
  return ctx.clock.now().getTime();
}
