import type { AccountScope, Clock, IdGenerator, Logger } from '../core/index.js';
import type { Store, TagRepository } from '../store/index.js';
import type { EcsTaskTarget, StartExecutionTarget } from './delivery/invoke.js';
import type { EventsOptions } from './options.js';
import type { PatternCache } from './pattern/cache.js';
import type { EventsRepository } from './store/repository.js';
import type { DeliveryQueue } from './store/queue.js';

/** What the events capability is built from; the composition root supplies real parts. */
export interface EventsDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scope: AccountScope;
  readonly logger: Logger;
  readonly options?: Partial<EventsOptions> | undefined;
  /** ECS targets; connect `ecs.tasks.run`. Until connected, ECS deliveries fail and retry. */
  readonly ecs?: EcsTaskTarget | undefined;
  /** State machine targets; until connected, those deliveries fail and retry. */
  readonly stepFunctions?: StartExecutionTarget | undefined;
}

/** Shared by the EventBridge operations. */
export interface EventsContext {
  readonly repo: EventsRepository;
  readonly queue: DeliveryQueue;
  readonly tags: TagRepository;
  readonly patterns: PatternCache;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scope: AccountScope;
  readonly logger: Logger;
  readonly options: EventsOptions;
  /** Told after deliveries were queued (wakes the dispatcher). */
  readonly onQueued: () => void;
}
