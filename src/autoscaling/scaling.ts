import type { AutoscalingContext } from './context.js';
import type { NotScaledReason, ScalableTargetAction, StoredActivity, StoredTarget } from './model.js';
import type { ScalableServiceState } from './ports.js';

/**
 * Changing a target's capacity and recording it as a scaling activity, worded as AWS
 * words them ("Setting desired count to 4.", "Successfully set desired count to 4.
 * Change successfully fulfilled by ecs.").
 *
 * An activity is InProgress from the change until the service runs that many tasks (or
 * someone else changes its desired count, or a newer activity starts), then Successful.
 */
function newActivity(ctx: AutoscalingContext, target: StoredTarget, now: number, fields: Partial<StoredActivity>): StoredActivity {
  return {
    activityId: ctx.ids.uuid(),
    targetKey: target.key,
    serviceNamespace: target.serviceNamespace,
    resourceId: target.resourceId,
    scalableDimension: target.scalableDimension,
    description: '',
    cause: '',
    startTime: now,
    status: 'Successful',
    ...fields,
  };
}

function fulfilled(count: number): string {
  return `Successfully set desired count to ${count}. Change successfully fulfilled by ecs.`;
}

/** Sets the service's desired count and records the activity; a refused change is a Failed activity. */
export function setCapacity(ctx: AutoscalingContext, target: StoredTarget, to: number, cause: string, now: number): StoredActivity {
  for (const open of ctx.activities.open(target.key)) finish(ctx, open, now, 'Successful', fulfilled(open.desiredCount ?? to));
  const description = `Setting desired count to ${to}.`;
  try {
    ctx.services.setDesiredCount(target.resourceId, to, cause);
  } catch (err) {
    const message = `Failed to set desired count to ${to}. Reason: ${err instanceof Error ? err.message : String(err)}`;
    const failed = newActivity(ctx, target, now, { description, cause, status: 'Failed', statusMessage: message, endTime: now });
    ctx.activities.insert(failed);
    ctx.logger.warn('autoscaling: setting the desired count failed', { resourceId: target.resourceId, to, err });
    return failed;
  }
  const activity = newActivity(ctx, target, now, { description, cause, status: 'InProgress', desiredCount: to });
  ctx.activities.insert(activity);
  return activity;
}

/** Brings the service's desired count into [min, max], as RegisterScalableTarget and scheduled actions do. */
export function fitToBounds(ctx: AutoscalingContext, target: StoredTarget, now: number): void {
  const svc = ctx.services.describe(target.resourceId);
  if (!svc) return;
  if (svc.desiredCount < target.minCapacity) {
    setCapacity(ctx, target, target.minCapacity, `minimum capacity was set to ${target.minCapacity}`, now);
  } else if (svc.desiredCount > target.maxCapacity) {
    setCapacity(ctx, target, target.maxCapacity, `maximum capacity was set to ${target.maxCapacity}`, now);
  }
}

/** "Setting min capacity to 5 and max capacity to 10", caused by a scheduled action. */
export function recordBoundsChange(ctx: AutoscalingContext, target: StoredTarget, action: ScalableTargetAction, cause: string, now: number): void {
  const parts: string[] = [];
  if (action.MinCapacity !== undefined) parts.push(`min capacity to ${action.MinCapacity}`);
  if (action.MaxCapacity !== undefined) parts.push(`max capacity to ${action.MaxCapacity}`);
  const what = parts.join(' and ');
  ctx.activities.insert(
    newActivity(ctx, target, now, { description: `Setting ${what}`, cause, statusMessage: `Successfully set ${what}`, endTime: now }),
  );
}

/** A scaling a policy asked for but the bounds (or the current capacity) did not allow. */
export function recordNotScaled(
  ctx: AutoscalingContext,
  target: StoredTarget,
  wanted: number,
  reason: NotScaledReason,
  cause: string,
  now: number,
): void {
  const why: Record<NotScaledReason['Code'], string> = {
    AlreadyAtMaxCapacity: `the scalable target is at its maximum capacity (${reason.MaxCapacity ?? target.maxCapacity})`,
    AlreadyAtMinCapacity: `the scalable target is at its minimum capacity (${reason.MinCapacity ?? target.minCapacity})`,
    AlreadyAtDesiredCapacity: `the desired count is already ${reason.CurrentCapacity ?? ''}`.trim(),
    AutoScalingAnticipatedFlapping: 'scaling would likely be reversed at once',
  };
  const activity = newActivity(ctx, target, now, {
    description: `Attempting to set desired count to ${wanted}.`,
    cause,
    status: 'Failed',
    statusMessage: `Failed to set desired count to ${wanted}: ${why[reason.Code]}.`,
    notScaledReasons: [reason],
    endTime: now,
  });
  ctx.activities.insert(activity);
}

/** Moves InProgress activities on once the service runs what they asked for. */
export function settleActivities(ctx: AutoscalingContext, target: StoredTarget, svc: ScalableServiceState | undefined, now: number): void {
  for (const open of ctx.activities.open(target.key)) {
    const asked = open.desiredCount;
    if (!svc) finish(ctx, open, now, 'Failed', `Failed to set desired count to ${asked ?? ''}. Reason: the ECS service no longer exists.`);
    else if (asked === undefined || svc.desiredCount !== asked || svc.runningCount === asked) {
      finish(ctx, open, now, 'Successful', fulfilled(asked ?? svc.desiredCount));
    }
  }
}

function finish(ctx: AutoscalingContext, a: StoredActivity, now: number, status: 'Successful' | 'Failed', message: string): void {
  ctx.activities.update({ ...a, status, statusMessage: message, endTime: now });
}
