import type { AccountScope, Clock, IdGenerator } from '../core/index.js';
import type { Store } from '../store/index.js';

/** What the ECS provider is built from; the composition root supplies real parts. */
export interface EcsDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scope: AccountScope;
  /** Told after a task's desired state is written, so the task runner acts at once. */
  readonly onTaskChanged?: ((taskId: string) => void) | undefined;
  /** Told after a service's desired state is written, so the service scheduler acts at once. */
  readonly onServiceChanged?: ((serviceArn: string) => void) | undefined;
}

export const DEFAULT_CLUSTER = 'default';
