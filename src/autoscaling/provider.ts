import { shapedOperations, type Handler, type JsonService } from '../api/index.js';
import { ScalingActivities } from './activities.js';
import { ActivityStore } from './activity-store.js';
import { DEFAULT_LIMITS, type AutoscalingContext, type AutoscalingDeps } from './context.js';
import { ScalingEngine } from './engine.js';
import { AutoscalingErrors } from './errors.js';
import { DEFAULT_SETTINGS, type EvaluationSettings } from './eval-types.js';
import { ScalingPolicies } from './policies.js';
import { ScalingRepository } from './repository.js';
import { ScheduledActions } from './scheduled.js';
import { autoscalingShapes as s, type AutoscalingOperation } from './shapes.js';
import { ScalingTags } from './tags.js';
import { ScalableTargets } from './targets.js';

/** Operations check their input against its shape before the handler sees it. */
const op = shapedOperations(AutoscalingErrors.ValidationException);

export interface Autoscaling {
  /** The Application Auto Scaling API (awsJson 1.1, `AnyScaleFrontendService`). */
  readonly service: JsonService;
  /** Starts evaluating every period. */
  start(): void;
  /** Stops the loop and waits for a pass in progress. */
  stop(): Promise<void>;
  /** Runs one evaluation pass now (tests; `skiff` itself relies on the loop). */
  tick(): Promise<void>;
}

export function evaluationSettings(deps: Pick<AutoscalingDeps, 'periodMs' | 'evaluation'>): EvaluationSettings {
  return { ...DEFAULT_SETTINGS, ...deps.evaluation, periodMs: deps.periodMs ?? deps.evaluation?.periodMs ?? DEFAULT_SETTINGS.periodMs };
}

/** Application Auto Scaling for ECS services: the API and the evaluation loop over one store. */
export function createAutoscaling(deps: AutoscalingDeps): Autoscaling {
  const ctx: AutoscalingContext = {
    repo: new ScalingRepository(deps.store.db),
    activities: new ActivityStore(deps.store.db, deps.activitiesPerTarget ?? 1000),
    tags: deps.store.tags,
    clock: deps.clock,
    ids: deps.ids,
    scope: deps.scope,
    logger: deps.logger,
    services: deps.services,
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
  };
  const targets = new ScalableTargets(ctx);
  const policies = new ScalingPolicies(ctx);
  const scheduled = new ScheduledActions(ctx);
  const activities = new ScalingActivities(ctx);
  const tags = new ScalingTags(ctx);
  const operations: Record<AutoscalingOperation, Handler> = {
    RegisterScalableTarget: op(s.RegisterScalableTarget, targets.register.bind(targets)),
    DescribeScalableTargets: op(s.DescribeScalableTargets, targets.describe.bind(targets)),
    DeregisterScalableTarget: op(s.DeregisterScalableTarget, targets.deregister.bind(targets)),
    PutScalingPolicy: op(s.PutScalingPolicy, policies.put.bind(policies)),
    DescribeScalingPolicies: op(s.DescribeScalingPolicies, policies.describe.bind(policies)),
    DeleteScalingPolicy: op(s.DeleteScalingPolicy, policies.delete.bind(policies)),
    DescribeScalingActivities: op(s.DescribeScalingActivities, activities.describe.bind(activities)),
    PutScheduledAction: op(s.PutScheduledAction, scheduled.put.bind(scheduled)),
    DescribeScheduledActions: op(s.DescribeScheduledActions, scheduled.describe.bind(scheduled)),
    DeleteScheduledAction: op(s.DeleteScheduledAction, scheduled.delete.bind(scheduled)),
    TagResource: op(s.TagResource, tags.tag.bind(tags)),
    UntagResource: op(s.UntagResource, tags.untag.bind(tags)),
    ListTagsForResource: op(s.ListTagsForResource, tags.list.bind(tags)),
  };
  const engine = new ScalingEngine(ctx, deps.metrics, evaluationSettings(deps));
  return {
    service: {
      protocol: 'awsJson1_1',
      signingName: 'application-autoscaling',
      targetPrefix: 'AnyScaleFrontendService',
      serverErrorCode: 'InternalServiceException',
      operations,
    },
    start: () => engine.start(),
    stop: () => engine.stop(),
    tick: () => engine.tick(),
  };
}
