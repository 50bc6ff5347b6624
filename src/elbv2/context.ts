import type { AccountScope, Clock, IdGenerator, Logger } from '../core/index.js';
import type { DataPlane, Probe, Timers } from '../lb/index.js';
import type { Store } from '../store/index.js';
import type { Elbv2Repository } from './repository.js';

/** What ELBv2 is built from; the composition root supplies real parts. */
export interface Elbv2Deps {
  /** The shared database (ELBv2 keeps its own tables) and the tag repository. */
  readonly store: Pick<Store, 'db' | 'tags'>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scope: AccountScope;
  readonly logger: Logger;
  /** Largest request body accepted (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Address listeners bind (default 127.0.0.1). */
  readonly listenHost?: string;
  /** Tests drive health checks and draining through these. */
  readonly timers?: Timers;
  readonly probe?: Probe;
}

/** What each operation area works with. */
export interface Elbv2Context {
  readonly repo: Elbv2Repository;
  readonly tags: Store['tags'];
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scope: AccountScope;
  readonly plane: DataPlane;
  /** Rebuilds the data plane's routing table from the store; call after every committed change. */
  readonly changed: () => void;
}
