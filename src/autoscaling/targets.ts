import { decodeToken, pageOf } from '../core/index.js';
import { nowMs, type AutoscalingContext } from './context.js';
import { AutoscalingErrors, scalingError, validation } from './errors.js';
import type { StoredTarget, SuspendedState } from './model.js';
import { defaultRoleArn, scalableTargetArn } from './names.js';
import { fitToBounds } from './scaling.js';
import { checkTagMap, tagList } from './tags.js';
import { checkEcsTarget, checkFilters, checkLength, checkMaxResults, checkNonNegative, type TargetRef } from './validate.js';

export interface RegisterScalableTargetRequest extends TargetRef {
  MinCapacity?: number;
  MaxCapacity?: number;
  RoleARN?: string;
  SuspendedState?: Partial<SuspendedState>;
  Tags?: Record<string, string>;
}

export interface DescribeScalableTargetsRequest {
  ServiceNamespace: string;
  ResourceIds?: string[];
  ScalableDimension?: string;
  MaxResults?: number;
  NextToken?: string;
}

/** The target a request names, or ObjectNotFoundException worded as AWS words it. */
export function requireTarget(ctx: AutoscalingContext, ref: TargetRef): StoredTarget {
  const target = ctx.repo.getTarget(checkEcsTarget(ref));
  if (!target) {
    throw scalingError(
      'ObjectNotFoundException',
      `No scalable target registered for service namespace: ${ref.ServiceNamespace}, resource ID: ${ref.ResourceId}, scalable dimension: ${ref.ScalableDimension}`,
    );
  }
  return target;
}

export function targetView(t: StoredTarget): Record<string, unknown> {
  return {
    ServiceNamespace: t.serviceNamespace,
    ResourceId: t.resourceId,
    ScalableDimension: t.scalableDimension,
    MinCapacity: t.minCapacity,
    MaxCapacity: t.maxCapacity,
    RoleARN: t.roleArn,
    CreationTime: new Date(t.createdAt),
    SuspendedState: t.suspended,
    ScalableTargetARN: t.arn,
  };
}

/** RegisterScalableTarget, DescribeScalableTargets, DeregisterScalableTarget. */
export class ScalableTargets {
  constructor(private readonly ctx: AutoscalingContext) {}

  register(req: RegisterScalableTargetRequest): { ScalableTargetARN: string } {
    const key = checkEcsTarget(req);
    checkNonNegative(req.MinCapacity, 'MinCapacity');
    checkNonNegative(req.MaxCapacity, 'MaxCapacity');
    if (req.RoleARN !== undefined) checkLength(req.RoleARN, 'RoleARN', 1, 1600);
    const tags = tagList(req.Tags ?? {});
    checkTagMap(req.ResourceId, tags);
    const { ctx } = this;
    if (!ctx.services.describe(req.ResourceId)) throw validation(`ECS service doesn't exist: ${req.ResourceId}`);
    return ctx.repo.transaction(() => {
      const existing = ctx.repo.getTarget(key);
      const target = existing ? this.updated(existing, req) : this.created(key, req);
      if (target.minCapacity > target.maxCapacity) throw validation('Minimum capacity cannot be greater than maximum capacity');
      const tagCount = new Set([...ctx.tags.list(target.arn).map((t) => t.key), ...tags.map((t) => t.key)]).size;
      if (tagCount > ctx.limits.tagsPerTarget) {
        throw scalingError('TooManyTagsException', `A scalable target can have at most ${ctx.limits.tagsPerTarget} tags.`);
      }
      ctx.repo.putTarget(target);
      ctx.tags.put(target.arn, tags);
      fitToBounds(ctx, target, nowMs(ctx));
      return { ScalableTargetARN: target.arn };
    });
  }

  describe(req: DescribeScalableTargetsRequest): { ScalableTargets: Record<string, unknown>[]; NextToken?: string } {
    checkFilters(req);
    const ids = req.ResourceIds;
    if (ids && ids.length > 50) throw validation('ResourceIds can have at most 50 items.');
    for (const id of ids ?? []) checkLength(id, 'ResourceIds', 1, 1600);
    const limit = checkMaxResults(req.MaxResults, 50);
    const after = req.NextToken ? decodeToken(req.NextToken, AutoscalingErrors.InvalidNextTokenException) : undefined;
    const matching = this.ctx.repo
      .targets(req.ServiceNamespace)
      .filter((t) => (ids ? ids.includes(t.resourceId) : true) && (req.ScalableDimension ? t.scalableDimension === req.ScalableDimension : true));
    const keyOf = (t: StoredTarget): string => t.key;
    const page = pageOf(matching.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)), keyOf, limit, after);
    return { ScalableTargets: page.items.map(targetView), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  /** Deletes the target with its policies, scheduled actions, evaluation state and tags. */
  deregister(req: TargetRef): Record<string, never> {
    const { ctx } = this;
    ctx.repo.transaction(() => {
      const target = requireTarget(ctx, req);
      ctx.repo.deleteTarget(target.key);
      ctx.tags.removeAll(target.arn);
    });
    return {};
  }

  private created(key: string, req: RegisterScalableTargetRequest): StoredTarget {
    const { ctx } = this;
    if (req.MinCapacity === undefined || req.MaxCapacity === undefined) {
      throw validation('MinCapacity and MaxCapacity are required when registering a new scalable target.');
    }
    if (ctx.repo.countTargets(req.ServiceNamespace) >= ctx.limits.targetsPerNamespace) {
      throw scalingError('LimitExceededException', `At most ${ctx.limits.targetsPerNamespace} scalable targets can be registered for ${req.ServiceNamespace}.`);
    }
    return {
      key,
      serviceNamespace: req.ServiceNamespace,
      resourceId: req.ResourceId,
      scalableDimension: req.ScalableDimension,
      minCapacity: req.MinCapacity,
      maxCapacity: req.MaxCapacity,
      roleArn: req.RoleARN ?? defaultRoleArn(ctx.scope),
      arn: scalableTargetArn(ctx.scope, ctx.ids),
      uuid: ctx.ids.uuid(),
      createdAt: nowMs(ctx),
      suspended: {
        DynamicScalingInSuspended: req.SuspendedState?.DynamicScalingInSuspended ?? false,
        DynamicScalingOutSuspended: req.SuspendedState?.DynamicScalingOutSuspended ?? false,
        ScheduledScalingSuspended: req.SuspendedState?.ScheduledScalingSuspended ?? false,
      },
    };
  }

  /** A re-registration changes only what it names. */
  private updated(t: StoredTarget, req: RegisterScalableTargetRequest): StoredTarget {
    return {
      ...t,
      minCapacity: req.MinCapacity ?? t.minCapacity,
      maxCapacity: req.MaxCapacity ?? t.maxCapacity,
      roleArn: req.RoleARN ?? t.roleArn,
      suspended: { ...t.suspended, ...req.SuspendedState },
    };
  }
}
