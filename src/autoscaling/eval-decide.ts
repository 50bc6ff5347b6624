import { clamp } from './eval-series.js';
import type { Decision, TargetSnapshot, Verdict } from './eval-types.js';
import type { NotScaledReason } from './model.js';

type Out = Extract<Verdict, { kind: 'out' }>;
type In = Extract<Verdict, { kind: 'in' }>;

/**
 * Combines the policies' verdicts for one target, as AWS documents for several policies:
 * - scale out when any policy says out, to the largest capacity asked for;
 * - otherwise scale in, to the largest capacity asked for, where target tracking
 *   policies count only when every target tracking policy that may scale in says in
 *   (step policies are not held back by them, as in AWS);
 * - clamp to [min, max]; never scale in while a deployment is in progress or when
 *   dynamic scale-in is suspended; never scale out when dynamic scale-out is suspended.
 * A wish that clamping leaves at the current capacity is a "not scaled" decision.
 */
export function decide(verdicts: readonly Verdict[], snap: TargetSnapshot): Decision {
  const outs = verdicts.filter((v): v is Out => v.kind === 'out');
  if (outs.length > 0) {
    if (snap.suspended.DynamicScalingOutSuspended) return { kind: 'none' };
    return scaleOut(largest(outs), snap);
  }
  if (snap.suspended.DynamicScalingInSuspended || snap.deploymentInProgress) return { kind: 'none' };
  const ins = verdicts.filter((v): v is In => v.kind === 'in');
  const trackingVeto = verdicts.some((v) => v.kind === 'none' && v.vetoesScaleIn);
  const candidates = ins.filter((v) => !v.tracking || !trackingVeto);
  if (candidates.length === 0) return { kind: 'none' };
  return scaleIn(largest(candidates), snap);
}

function largest<T extends { capacity: number }>(vs: readonly T[]): T {
  return vs.reduce((best, v) => (v.capacity > best.capacity ? v : best));
}

function scaleOut(v: Out, snap: TargetSnapshot): Decision {
  const to = clamp(v.capacity, snap.min, snap.max);
  if (to > snap.current) return { kind: 'scale', direction: 'out', from: snap.current, to, policy: v.policy, alarm: v.alarm };
  const reason: NotScaledReason =
    snap.current >= snap.max
      ? { Code: 'AlreadyAtMaxCapacity', MaxCapacity: snap.max, CurrentCapacity: snap.current }
      : { Code: 'AlreadyAtDesiredCapacity', CurrentCapacity: snap.current };
  return { kind: 'notScaled', direction: 'out', wanted: v.capacity, reason, policy: v.policy, alarm: v.alarm };
}

function scaleIn(v: In, snap: TargetSnapshot): Decision {
  const to = clamp(v.capacity, snap.min, snap.max);
  if (to < snap.current) return { kind: 'scale', direction: 'in', from: snap.current, to, policy: v.policy, alarm: v.alarm };
  const reason: NotScaledReason =
    snap.current <= snap.min
      ? { Code: 'AlreadyAtMinCapacity', MinCapacity: snap.min, CurrentCapacity: snap.current }
      : { Code: 'AlreadyAtDesiredCapacity', CurrentCapacity: snap.current };
  return { kind: 'notScaled', direction: 'in', wanted: v.capacity, reason, policy: v.policy, alarm: v.alarm };
}
