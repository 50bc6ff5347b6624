import { decodeToken, pageOf } from '../core/index.js';
import { nowMs, type AutoscalingContext } from './context.js';
import { AutoscalingErrors, scalingError, validation } from './errors.js';
import type { Alarm, StepScalingConfig, StoredPolicy, StoredTarget, TargetTrackingConfig } from './model.js';
import { alarmArn, policyArn, targetTrackingAlarmName } from './names.js';
import { stepAlarmsOf } from './step-alarms.js';
import { requireTarget } from './targets.js';
import { checkEcsTarget, checkFilters, checkLength, checkMaxResults, type TargetRef } from './validate.js';
import { checkPolicyName, checkPolicyType, checkStepScaling, checkTargetTracking } from './validate-policy.js';

export interface PutScalingPolicyRequest extends TargetRef {
  PolicyName: string;
  PolicyType?: string;
  StepScalingPolicyConfiguration?: StepScalingConfig;
  TargetTrackingScalingPolicyConfiguration?: TargetTrackingConfig & { CustomizedMetricSpecification?: unknown };
  PredictiveScalingPolicyConfiguration?: unknown;
}

export interface DescribeScalingPoliciesRequest {
  ServiceNamespace: string;
  PolicyNames?: string[];
  ResourceId?: string;
  ScalableDimension?: string;
  MaxResults?: number;
  NextToken?: string;
}

/** PutScalingPolicy, DescribeScalingPolicies, DeleteScalingPolicy. */
export class ScalingPolicies {
  constructor(private readonly ctx: AutoscalingContext) {}

  put(req: PutScalingPolicyRequest): { PolicyARN: string; Alarms: Alarm[] } {
    checkPolicyName(req.PolicyName);
    const { ctx } = this;
    return ctx.repo.transaction(() => {
      const target = requireTarget(ctx, req);
      const existing = ctx.repo.getPolicy(target.key, req.PolicyName);
      const type = checkPolicyType(req.PolicyType, existing?.type);
      if (req.PredictiveScalingPolicyConfiguration !== undefined) {
        throw validation('PredictiveScalingPolicyConfiguration is not supported by skiff.');
      }
      if (!existing && ctx.repo.policies(target.key).length >= ctx.limits.policiesPerTarget) {
        throw scalingError('LimitExceededException', `A scalable target can have at most ${ctx.limits.policiesPerTarget} scaling policies.`);
      }
      const policy = type === 'TargetTrackingScaling' ? this.targetTracking(target, req, existing) : this.stepScaling(target, req, existing);
      ctx.repo.putPolicy(policy);
      return { PolicyARN: policy.arn, Alarms: this.alarmsOf(target, policy) };
    });
  }

  describe(req: DescribeScalingPoliciesRequest): { ScalingPolicies: Record<string, unknown>[]; NextToken?: string } {
    checkFilters(req);
    const names = req.PolicyNames;
    if (names && names.length > 50) throw validation('PolicyNames can have at most 50 items.');
    for (const n of names ?? []) checkLength(n, 'PolicyNames', 1, 1600);
    const limit = checkMaxResults(req.MaxResults, 10);
    const after = req.NextToken ? decodeToken(req.NextToken, AutoscalingErrors.InvalidNextTokenException) : undefined;
    const rows: Array<{ key: string; target: StoredTarget; policy: StoredPolicy }> = [];
    for (const target of this.ctx.repo.targets(req.ServiceNamespace)) {
      if (req.ResourceId !== undefined && target.resourceId !== req.ResourceId) continue;
      if (req.ScalableDimension !== undefined && target.scalableDimension !== req.ScalableDimension) continue;
      for (const policy of this.ctx.repo.policies(target.key)) {
        if (names && !names.includes(policy.name)) continue;
        rows.push({ key: `${target.key}\u0000${policy.name}`, target, policy });
      }
    }
    rows.sort((a, b) => (a.key < b.key ? -1 : 1));
    const page = pageOf(rows, (r) => r.key, limit, after);
    const ScalingPolicies = page.items.map((r) => this.view(r.target, r.policy));
    return { ScalingPolicies, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  delete(req: TargetRef & { PolicyName: string }): Record<string, never> {
    checkEcsTarget(req);
    checkLength(req.PolicyName, 'PolicyName', 1, 1600);
    const target = requireTarget(this.ctx, req);
    if (!this.ctx.repo.deletePolicy(target.key, req.PolicyName)) {
      throw scalingError(
        'ObjectNotFoundException',
        `No scaling policy found for service namespace: ${req.ServiceNamespace}, resource ID: ${req.ResourceId}, scalable dimension: ${req.ScalableDimension}, policy name: ${req.PolicyName}`,
      );
    }
    return {};
  }

  private targetTracking(target: StoredTarget, req: PutScalingPolicyRequest, existing: StoredPolicy | undefined): StoredPolicy {
    if (req.StepScalingPolicyConfiguration !== undefined) {
      throw validation('StepScalingPolicyConfiguration cannot be given for a TargetTrackingScaling policy.');
    }
    const cfg = checkTargetTracking(req.TargetTrackingScalingPolicyConfiguration);
    const keep = (which: 'AlarmHigh' | 'AlarmLow'): Alarm => {
      const found = existing?.alarms.find((a) => a.AlarmName.includes(`-${which}-`));
      if (found) return found;
      const name = targetTrackingAlarmName(target.resourceId, which, this.ctx.ids.uuid());
      return { AlarmName: name, AlarmARN: alarmArn(this.ctx.scope, name) };
    };
    const alarms = cfg.DisableScaleIn === true ? [keep('AlarmHigh')] : [keep('AlarmHigh'), keep('AlarmLow')];
    return { ...this.base(target, req.PolicyName, existing), type: 'TargetTrackingScaling', targetTracking: cfg, alarms };
  }

  private stepScaling(target: StoredTarget, req: PutScalingPolicyRequest, existing: StoredPolicy | undefined): StoredPolicy {
    if (req.TargetTrackingScalingPolicyConfiguration !== undefined) {
      throw validation('TargetTrackingScalingPolicyConfiguration cannot be given for a StepScaling policy.');
    }
    const cfg = checkStepScaling(req.StepScalingPolicyConfiguration, existing?.step);
    return { ...this.base(target, req.PolicyName, existing), type: 'StepScaling', step: cfg, alarms: [] };
  }

  private base(target: StoredTarget, name: string, existing: StoredPolicy | undefined): Pick<StoredPolicy, 'targetKey' | 'name' | 'arn' | 'createdAt'> {
    return {
      targetKey: target.key,
      name,
      arn: existing?.arn ?? policyArn(this.ctx.scope, target, name),
      createdAt: existing?.createdAt ?? nowMs(this.ctx),
    };
  }

  /** Target tracking: the alarms it owns. Step: its built-in alarm, when one is declared (see step-alarms.ts). */
  private alarmsOf(target: StoredTarget, policy: StoredPolicy): Alarm[] {
    if (policy.type === 'TargetTrackingScaling') return policy.alarms;
    const alarm = stepAlarmsOf(target.resourceId, this.ctx.tags.list(target.arn)).get(policy.name);
    return alarm ? [{ AlarmName: alarm.name, AlarmARN: alarmArn(this.ctx.scope, alarm.name) }] : [];
  }

  private view(target: StoredTarget, p: StoredPolicy): Record<string, unknown> {
    return {
      PolicyARN: p.arn,
      PolicyName: p.name,
      ServiceNamespace: target.serviceNamespace,
      ResourceId: target.resourceId,
      ScalableDimension: target.scalableDimension,
      PolicyType: p.type,
      ...(p.targetTracking ? { TargetTrackingScalingPolicyConfiguration: p.targetTracking } : {}),
      ...(p.step ? { StepScalingPolicyConfiguration: p.step } : {}),
      Alarms: this.alarmsOf(target, p),
      CreationTime: new Date(p.createdAt),
    };
  }
}
