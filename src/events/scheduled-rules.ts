import type { EventsContext } from './context.js';
import { enqueueForRule, type Envelope } from './enqueue.js';
import { eventTime } from './names.js';
import { nextRuleRun } from './rule-schedule.js';

/**
 * Fires rules with a ScheduleExpression: each tick takes the rules whose next run is
 * due, queues a "Scheduled Event" for their targets and moves the next run forward, in
 * one transaction. A run more than `missedRunGraceMs` late (skiff was down or stalled)
 * is skipped rather than fired, so a restart never fires a burst of missed runs.
 */
export class ScheduledRules {
  constructor(private readonly ctx: EventsContext) {}

  /** Fires what is due now; returns how many rule runs fired. */
  tick(): number {
    const now = this.ctx.clock.now().getTime();
    let fired = 0;
    for (const { rule, dueAt } of this.ctx.repo.dueRules(now)) {
      fired += this.ctx.repo.transaction(() => {
        const late = now - dueAt > this.ctx.options.missedRunGraceMs;
        if (late) this.ctx.logger.info('events: skipped a missed scheduled run', { rule: rule.Arn, due: new Date(dueAt).toISOString() });
        else enqueueForRule(this.ctx, rule, this.scheduledEvent(rule.Arn, dueAt), now);
        this.ctx.repo.setNextFire(rule.Arn, nextRuleRun(rule, now, this.ctx.options));
        return late ? 0 : 1;
      });
    }
    if (fired > 0) this.ctx.onQueued();
    return fired;
  }

  private scheduledEvent(ruleArn: string, dueAt: number): Envelope {
    return {
      version: '0',
      id: this.ctx.ids.uuid(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.ctx.scope.account,
      time: eventTime(new Date(dueAt)),
      region: this.ctx.scope.region,
      resources: [ruleArn],
      detail: {},
    };
  }
}
