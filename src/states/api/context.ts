import type { AccountScope, Clock, IdGenerator, Logger } from '../../core/index.js';
import type { TagRepository } from '../../store/index.js';
import type { Runtime } from '../runtime/runtime.js';
import type { StatesStore } from '../store.js';

/** What each API area works with. */
export interface StatesContext {
  readonly store: StatesStore;
  readonly runtime: Runtime;
  readonly tags: TagRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scope: AccountScope;
  readonly logger: Logger;
  /** The longest GetActivityTask waits before answering with no task (AWS: 60 s). */
  readonly activityPollMs: number;
}

export type Empty = Record<string, never>;

/** maxResults: 0 or absent means the default; at most 1000. */
export function pageSize(maxResults: number | undefined, fallback = 100): number {
  if (maxResults === undefined || maxResults === 0) return fallback;
  return Math.min(Math.max(1, maxResults), 1000);
}
