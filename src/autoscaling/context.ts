import type { AccountScope, Clock, IdGenerator, Logger } from '../core/index.js';
import type { Store } from '../store/index.js';
import type { ActivityStore } from './activity-store.js';
import type { EvaluationSettings } from './eval-types.js';
import type { MetricsSource, ScalableServices } from './ports.js';
import type { ScalingRepository } from './repository.js';

/** Per-account quotas, as AWS's defaults. */
export interface Limits {
  readonly targetsPerNamespace: number;
  readonly policiesPerTarget: number;
  readonly scheduledActionsPerTarget: number;
  readonly tagsPerTarget: number;
}

export const DEFAULT_LIMITS: Limits = {
  targetsPerNamespace: 3000,
  policiesPerTarget: 50,
  scheduledActionsPerTarget: 200,
  tagsPerTarget: 50,
};

/** What Application Auto Scaling is built from; the composition root supplies real parts. */
export interface AutoscalingDeps {
  /** The shared database (autoscaling keeps its own tables) and the tag repository. */
  readonly store: Pick<Store, 'db' | 'tags'>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scope: AccountScope;
  readonly logger: Logger;
  readonly services: ScalableServices;
  readonly metrics: MetricsSource;
  /** How often metrics are sampled and alarms evaluated (default 60 s, one CloudWatch period). */
  readonly periodMs?: number | undefined;
  /** Datapoints per alarm and scale-in pacing; see README "Evaluation rules". */
  readonly evaluation?: Partial<EvaluationSettings> | undefined;
  readonly limits?: Partial<Limits> | undefined;
  /** Scaling activities kept per target (default 1000). */
  readonly activitiesPerTarget?: number | undefined;
}

/** What each operation area works with. */
export interface AutoscalingContext {
  readonly repo: ScalingRepository;
  readonly activities: ActivityStore;
  readonly tags: Store['tags'];
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scope: AccountScope;
  readonly logger: Logger;
  readonly services: ScalableServices;
  readonly limits: Limits;
}

export function nowMs(ctx: { clock: Clock }): number {
  return ctx.clock.now().getTime();
}
