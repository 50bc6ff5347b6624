import { decodeToken, isValidZone, pageOf } from '../core/index.js';
import { nowMs, type AutoscalingContext } from './context.js';
import { AutoscalingErrors, scalingError, validation } from './errors.js';
import type { ScalableTargetAction, StoredScheduledAction, StoredTarget } from './model.js';
import { scheduledActionArn } from './names.js';
import { fitToBounds, recordBoundsChange } from './scaling.js';
import { latestFire, parseSchedule } from './schedule.js';
import { requireTarget } from './targets.js';
import { checkFilters, checkLength, checkMaxResults, checkNonNegative, missing, timestampMs, type TargetRef } from './validate.js';

export interface PutScheduledActionRequest extends TargetRef {
  ScheduledActionName: string;
  Schedule?: string;
  Timezone?: string;
  StartTime?: number | string;
  EndTime?: number | string;
  ScalableTargetAction?: ScalableTargetAction;
}

export interface DescribeScheduledActionsRequest {
  ServiceNamespace: string;
  ScheduledActionNames?: string[];
  ResourceId?: string;
  ScalableDimension?: string;
  MaxResults?: number;
  NextToken?: string;
}

/** No leading or trailing space, no control characters, none of `:`, `/`, `|` (the model's pattern). */
function validActionName(name: string): boolean {
  if (name.startsWith(' ') || name.endsWith(' ')) return false;
  return [...name].every((c) => {
    const code = c.charCodeAt(0);
    return code > 0x1f && !(code >= 0x7f && code <= 0x9f) && !':/|'.includes(c);
  });
}

function checkActionName(name: string): void {
  checkLength(name, 'ScheduledActionName', 1, 256);
  if (!validActionName(name)) {
    throw validation(`ScheduledActionName '${name}' is not valid: no leading or trailing spaces, control characters, ':', '/' or '|'.`);
  }
}

/** PutScheduledAction, DescribeScheduledActions, DeleteScheduledAction. */
export class ScheduledActions {
  constructor(private readonly ctx: AutoscalingContext) {}

  put(req: PutScheduledActionRequest): Record<string, never> {
    checkActionName(req.ScheduledActionName);
    const { ctx } = this;
    ctx.repo.transaction(() => {
      const target = requireTarget(ctx, req);
      const existing = ctx.repo.getAction(target.key, req.ScheduledActionName);
      if (!existing && ctx.repo.actions(target.key).length >= ctx.limits.scheduledActionsPerTarget) {
        throw scalingError('LimitExceededException', `A scalable target can have at most ${ctx.limits.scheduledActionsPerTarget} scheduled actions.`);
      }
      ctx.repo.putAction(this.build(target, req, existing));
    });
    return {};
  }

  describe(req: DescribeScheduledActionsRequest): { ScheduledActions: Record<string, unknown>[]; NextToken?: string } {
    checkFilters(req);
    const names = req.ScheduledActionNames;
    if (names && names.length > 50) throw validation('ScheduledActionNames can have at most 50 items.');
    const limit = checkMaxResults(req.MaxResults, 50);
    const after = req.NextToken ? decodeToken(req.NextToken, AutoscalingErrors.InvalidNextTokenException) : undefined;
    const rows: Array<{ key: string; target: StoredTarget; action: StoredScheduledAction }> = [];
    for (const target of this.ctx.repo.targets(req.ServiceNamespace)) {
      if (req.ResourceId !== undefined && target.resourceId !== req.ResourceId) continue;
      if (req.ScalableDimension !== undefined && target.scalableDimension !== req.ScalableDimension) continue;
      for (const action of this.ctx.repo.actions(target.key)) {
        if (!names || names.includes(action.name)) rows.push({ key: `${target.key}\u0000${action.name}`, target, action });
      }
    }
    rows.sort((a, b) => (a.key < b.key ? -1 : 1));
    const page = pageOf(rows, (r) => r.key, limit, after);
    return { ScheduledActions: page.items.map((r) => view(r.target, r.action)), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  delete(req: TargetRef & { ScheduledActionName: string }): Record<string, never> {
    checkLength(req.ScheduledActionName, 'ScheduledActionName', 1, 1600);
    const target = requireTarget(this.ctx, req);
    if (!this.ctx.repo.deleteAction(target.key, req.ScheduledActionName)) {
      throw scalingError(
        'ObjectNotFoundException',
        `No scheduled action found for service namespace: ${req.ServiceNamespace}, resource ID: ${req.ResourceId}, scalable dimension: ${req.ScalableDimension}, scheduled action name: ${req.ScheduledActionName}`,
      );
    }
    return {};
  }

  /** An update changes what it names; StartTime and EndTime not given are removed, as AWS documents. */
  private build(target: StoredTarget, req: PutScheduledActionRequest, existing: StoredScheduledAction | undefined): StoredScheduledAction {
    const schedule = req.Schedule ?? existing?.schedule;
    if (schedule === undefined) throw missing('Schedule', 'when creating a scheduled action');
    checkLength(schedule, 'Schedule', 1, 1600);
    parseSchedule(schedule);
    const timezone = req.Timezone ?? existing?.timezone;
    if (timezone !== undefined && !isValidZone(timezone)) throw validation(`Timezone ${timezone} is not a valid IANA time zone name.`);
    const action = req.ScalableTargetAction ?? existing?.action;
    if (!action || (action.MinCapacity === undefined && action.MaxCapacity === undefined)) {
      throw missing('ScalableTargetAction with MinCapacity or MaxCapacity', 'for a scheduled action');
    }
    checkNonNegative(action.MinCapacity, 'MinCapacity');
    checkNonNegative(action.MaxCapacity, 'MaxCapacity');
    if (action.MinCapacity !== undefined && action.MaxCapacity !== undefined && action.MinCapacity > action.MaxCapacity) {
      throw validation('Minimum capacity cannot be greater than maximum capacity');
    }
    const startTime = timestampMs(req.StartTime, 'StartTime');
    const endTime = timestampMs(req.EndTime, 'EndTime');
    if (startTime !== undefined && endTime !== undefined && endTime <= startTime) throw validation('EndTime must be after StartTime.');
    const now = nowMs(this.ctx);
    return {
      targetKey: target.key,
      name: req.ScheduledActionName,
      arn: existing?.arn ?? scheduledActionArn(this.ctx.scope, target, req.ScheduledActionName),
      schedule,
      timezone,
      startTime,
      endTime,
      action: { ...action },
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
  }
}

function view(target: StoredTarget, a: StoredScheduledAction): Record<string, unknown> {
  return {
    ScheduledActionName: a.name,
    ScheduledActionARN: a.arn,
    ServiceNamespace: target.serviceNamespace,
    Schedule: a.schedule,
    ...(a.timezone !== undefined ? { Timezone: a.timezone } : {}),
    ResourceId: target.resourceId,
    ScalableDimension: target.scalableDimension,
    ...(a.startTime !== undefined ? { StartTime: new Date(a.startTime) } : {}),
    ...(a.endTime !== undefined ? { EndTime: new Date(a.endTime) } : {}),
    ScalableTargetAction: a.action,
    CreationTime: new Date(a.createdAt),
  };
}

/**
 * Runs the target's scheduled actions that fire in (from, to]: each sets min and/or max
 * (the other bound follows when they would cross), records the activity, then brings
 * the desired count inside the new bounds. Returns the target as it now is.
 */
export function runDueActions(ctx: AutoscalingContext, target: StoredTarget, from: number, to: number): StoredTarget {
  let current = target;
  for (const a of ctx.repo.actions(target.key)) {
    const window = { timezone: a.timezone ?? 'UTC', startTime: a.startTime, endTime: a.endTime, anchor: a.updatedAt };
    const fired = latestFire(parseSchedule(a.schedule), window, Math.max(from, a.updatedAt), to);
    if (fired === undefined) continue;
    let min = a.action.MinCapacity ?? current.minCapacity;
    let max = a.action.MaxCapacity ?? current.maxCapacity;
    if (min > max) {
      if (a.action.MaxCapacity === undefined) max = min;
      else min = max;
    }
    current = { ...current, minCapacity: min, maxCapacity: max };
    ctx.repo.putTarget(current);
    recordBoundsChange(ctx, current, a.action, `scheduled action name ${a.name} was triggered`, to);
    fitToBounds(ctx, current, to);
  }
  return current;
}
