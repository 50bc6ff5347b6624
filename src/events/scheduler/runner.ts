import type { IdGenerator, Logger } from '../../core/index.js';
import { launchFromScheduler } from '../delivery/ecs.js';
import { targetKind } from '../delivery/invoke.js';
import type { Delivery } from '../delivery/model.js';
import { retryOf } from '../enqueue.js';
import { eventTime } from '../names.js';
import type { DeliveryQueue } from '../store/queue.js';
import type { SchedulerContext } from './context.js';
import type { StoredSchedule } from './model.js';
import { flexibleDelay, isOneTime, nextRun } from './timing.js';

export interface ScheduleRunnerDeps {
  readonly ctx: SchedulerContext;
  readonly queue: DeliveryQueue;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly onQueued: () => void;
}

/**
 * Fires due schedules: queues the target's delivery (at the run time plus the
 * schedule's flexible delay) and moves the next run forward, in one transaction.
 * A one-time schedule fires however late it is (once); a recurring run more than the
 * grace late is skipped, so a restart never fires a burst. A schedule with no runs
 * left is deleted when its ActionAfterCompletion is DELETE.
 */
export class ScheduleRunner {
  constructor(private readonly deps: ScheduleRunnerDeps) {}

  tick(): number {
    const { ctx } = this.deps;
    const now = ctx.clock.now().getTime();
    let fired = 0;
    for (const { schedule, dueAt } of ctx.repo.due(now)) {
      fired += ctx.repo.transaction(() => this.fire(schedule, dueAt, now));
    }
    if (fired > 0) this.deps.onQueued();
    return fired;
  }

  private fire(s: StoredSchedule, dueAt: number, now: number): number {
    const { ctx } = this.deps;
    const oneTime = isOneTime(s);
    const late = !oneTime && now - dueAt > ctx.options.missedRunGraceMs;
    if (late) this.deps.logger.info('scheduler: skipped a missed run', { schedule: s.Arn, due: new Date(dueAt).toISOString() });
    else this.deps.queue.enqueue(this.delivery(s, dueAt, now));
    const next = oneTime ? undefined : nextRun(s, now, ctx.options.minScheduleRateMs);
    if (next === undefined && s.ActionAfterCompletion === 'DELETE') ctx.repo.deleteSchedule(s.GroupName, s.Name);
    else ctx.repo.setNext(s.GroupName, s.Name, next);
    return late ? 0 : 1;
  }

  private delivery(s: StoredSchedule, dueAt: number, now: number): Delivery {
    const id = this.deps.ids.uuid();
    const at = Math.max(now, dueAt + flexibleDelay(s, dueAt));
    const t = s.Target;
    const kind = targetKind(t.Arn);
    return {
      id,
      origin: 'schedule',
      sourceArn: s.Arn,
      targetId: s.Name,
      target: {
        arn: t.Arn,
        roleArn: t.RoleArn,
        ecs: kind === 'ecs' && t.EcsParameters ? launchFromScheduler(t.EcsParameters) : undefined,
        startedBy: `scheduler/${s.GroupName}/${s.Name}`.slice(0, 128),
      },
      input: kind === 'bus' ? this.busEvent(s, id, dueAt) : withContext(t.Input ?? '{}', s, id, dueAt),
      eventId: id,
      eventTime: at,
      retry: retryOf(t.RetryPolicy),
      deadLetterArn: t.DeadLetterConfig?.Arn,
      attempts: 0,
      nextAttemptAt: at,
    };
  }

  /** EventBridge targets of a schedule get an event built from EventBridgeParameters, detail = Input. */
  private busEvent(s: StoredSchedule, id: string, dueAt: number): string {
    const { scope } = this.deps.ctx;
    let detail: unknown = {};
    try {
      detail = JSON.parse(withContext(s.Target.Input ?? '{}', s, id, dueAt));
    } catch {
      detail = {};
    }
    return JSON.stringify({
      version: '0',
      id,
      'detail-type': s.Target.EventBridgeParameters?.DetailType ?? 'Scheduled Event',
      source: s.Target.EventBridgeParameters?.Source ?? 'aws.scheduler',
      account: scope.account,
      time: eventTime(new Date(dueAt)),
      region: scope.region,
      resources: [s.Arn],
      detail,
    });
  }
}

/**
 * Scheduler's context attributes in the Input. `<aws.scheduler.attempt-number>` is
 * filled in at each attempt (see `withAttempt`).
 */
function withContext(input: string, s: StoredSchedule, executionId: string, dueAt: number): string {
  return input
    .split('<aws.scheduler.schedule-arn>').join(s.Arn)
    .split('<aws.scheduler.scheduled-time>').join(eventTime(new Date(dueAt)))
    .split('<aws.scheduler.execution-id>').join(executionId);
}

export function withAttempt(input: string, attempt: number): string {
  return input.split('<aws.scheduler.attempt-number>').join(String(attempt));
}
