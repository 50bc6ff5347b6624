import type { AutoscalingContext } from './context.js';
import { decide } from './eval-decide.js';
import { appendDatapoint } from './eval-series.js';
import { evaluateStep } from './eval-step.js';
import { evaluateTargetTracking } from './eval-target-tracking.js';
import type { Decision, EvaluationSettings, StepAlarm, TargetSnapshot } from './eval-types.js';
import { ECS_NAMESPACE, type EvaluationState, type StoredPolicy, type StoredTarget } from './model.js';
import { metricKey } from './names.js';
import type { MetricsSource, PredefinedMetric } from './ports.js';
import { recordNotScaled, setCapacity, settleActivities } from './scaling.js';
import { runDueActions } from './scheduled.js';
import { stepAlarmsOf } from './step-alarms.js';

interface Wanted {
  key: string;
  metric: PredefinedMetric;
  label: string | undefined;
}

type Samples = Map<string, number | undefined>;

/**
 * The evaluation loop: every period it samples the metrics each target's policies
 * watch (all targets at once), then, per target and in one transaction, runs due
 * scheduled actions, settles activities, evaluates the policies (pure functions) and
 * applies the decision. Level-based: each pass re-reads everything from the store, so
 * API changes made while metrics were being sampled are honoured.
 */
export class ScalingEngine {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private queued = false;

  constructor(
    private readonly ctx: AutoscalingContext,
    private readonly metrics: MetricsSource,
    private readonly settings: EvaluationSettings,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.settings.periodMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One evaluation pass; a pass still running makes the next one wait its turn. */
  async tick(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private kick(): void {
    // a pass that overran its period (Docker's stats take a second or more) is followed
    // at once by the next, so datapoints stay about a period apart; at most one waits
    if (this.queued) return;
    this.queued = true;
    const next = async (): Promise<void> => {
      while (this.running) await this.running.catch(() => undefined);
      this.queued = false;
      await this.tick();
    };
    next().catch((err: unknown) => this.ctx.logger.error('autoscaling: evaluation pass failed', { err }));
  }

  private async pass(): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    const targets = this.ctx.repo.targets(ECS_NAMESPACE);
    const samples = await Promise.all(targets.map((t) => this.sample(t)));
    targets.forEach((t, i) => {
      try {
        this.ctx.repo.transaction(() => this.evaluate(t.key, samples[i] ?? new Map(), now));
      } catch (err) {
        this.ctx.logger.error('autoscaling: evaluating a scalable target failed', { resourceId: t.resourceId, err });
      }
    });
  }

  private wanted(policies: readonly StoredPolicy[], alarms: Map<string, StepAlarm>): Wanted[] {
    const out = new Map<string, Wanted>();
    for (const p of policies) {
      const spec = p.targetTracking?.PredefinedMetricSpecification;
      const alarm = p.type === 'StepScaling' ? alarms.get(p.name) : undefined;
      const metric = (spec?.PredefinedMetricType ?? alarm?.metric) as PredefinedMetric | undefined;
      const label = spec ? spec.ResourceLabel : alarm?.resourceLabel;
      if (metric) out.set(metricKey(metric, label), { key: metricKey(metric, label), metric, label });
    }
    return [...out.values()];
  }

  private async sample(target: StoredTarget): Promise<Samples> {
    const alarms = stepAlarmsOf(target.resourceId, this.ctx.tags.list(target.arn));
    const wanted = this.wanted(this.ctx.repo.policies(target.key), alarms);
    const values = await Promise.all(
      wanted.map((w) =>
        // an adapter that throws instead of rejecting must not fail the whole pass
        Promise.resolve().then(() => this.metrics.sample(target.resourceId, w.metric, w.label)).catch((err: unknown) => {
          this.ctx.logger.warn('autoscaling: sampling a metric failed', { resourceId: target.resourceId, metric: w.metric, err });
          return undefined;
        }),
      ),
    );
    return new Map(wanted.map((w, i) => [w.key, values[i]]));
  }

  private evaluate(key: string, samples: Samples, now: number): void {
    const { ctx } = this;
    let target = ctx.repo.getTarget(key);
    if (!target) return; // deregistered while sampling
    const state = ctx.repo.state(key);
    if (!target.suspended.ScheduledScalingSuspended) target = runDueActions(ctx, target, state.scheduleCheckedAt ?? target.createdAt, now);
    state.scheduleCheckedAt = now;
    const svc = ctx.services.describe(target.resourceId);
    settleActivities(ctx, target, svc, now);
    const policies = ctx.repo.policies(key);
    const alarms = stepAlarmsOf(target.resourceId, ctx.tags.list(target.arn));
    state.series = this.record(state.series, this.wanted(policies, alarms), samples, alarms, now);
    if (svc) {
      const snap: TargetSnapshot = {
        now,
        current: svc.desiredCount,
        min: target.minCapacity,
        max: target.maxCapacity,
        deploymentInProgress: svc.deploymentInProgress,
        suspended: target.suspended,
        state,
      };
      const verdicts = policies.map((p) =>
        p.type === 'TargetTrackingScaling' ? evaluateTargetTracking(p, snap, this.settings) : evaluateStep(p, alarms.get(p.name), snap, this.settings),
      );
      this.apply(target, decide(verdicts, snap), state, now);
    }
    ctx.repo.putState(key, state);
  }

  /** Appends this period's datapoints and keeps only the series the policies watch, as long as they need. */
  private record(series: EvaluationState['series'], wanted: Wanted[], samples: Samples, alarms: Map<string, StepAlarm>, now: number): EvaluationState['series'] {
    const keep = Math.max(this.settings.scaleOutDatapoints, this.settings.scaleInDatapoints, ...[...alarms.values()].map((a) => a.evaluationPeriods));
    const out: EvaluationState['series'] = {};
    for (const w of wanted) {
      const previous = series[w.key] ?? [];
      const value = samples.get(w.key);
      out[w.key] = value === undefined || !Number.isFinite(value) ? previous : appendDatapoint(previous, { at: now, value }, keep);
    }
    return out;
  }

  private apply(target: StoredTarget, decision: Decision, state: EvaluationState, now: number): void {
    if (decision.kind === 'none') {
      state.lastNotScaled = undefined;
      return;
    }
    const cause = `monitor alarm ${decision.alarm} in state ALARM triggered policy ${decision.policy}`;
    if (decision.kind === 'notScaled') {
      const standing = `${decision.reason.Code}|${decision.direction}|${decision.policy}`;
      if (state.lastNotScaled !== standing) recordNotScaled(this.ctx, target, decision.wanted, decision.reason, cause, now);
      state.lastNotScaled = standing;
      return;
    }
    state.lastNotScaled = undefined;
    const activity = setCapacity(this.ctx, target, decision.to, cause, now);
    if (activity.status === 'Failed') return;
    const event = { at: now, from: decision.from, to: decision.to };
    if (decision.direction === 'out') {
      state.lastScaleOut = event;
      state.lastScaleIn = undefined; // a scale-out ends a scale-in cooldown (AWS)
    } else {
      state.lastScaleIn = event;
    }
  }
}
