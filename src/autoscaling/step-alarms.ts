import type { Tag } from '../store/index.js';
import { validation } from './errors.js';
import type { Comparison, StepAlarm } from './eval-types.js';
import { stepAlarmName } from './names.js';
import { PREDEFINED_METRICS, type PredefinedMetric } from './ports.js';

/**
 * In AWS a step policy is run by a CloudWatch alarm the user creates separately
 * (PutMetricAlarm with the policy ARN as its action). Skiff has no CloudWatch alarms
 * yet, so a step policy's alarm is declared with a tag on its scalable target:
 *
 *   skiff:step-alarm:<PolicyName> = <PredefinedMetricType> <comparison> <threshold> [<periods>] [<ResourceLabel>]
 *
 * e.g. `ECSServiceAverageCPUUtilization >= 80 3`. `comparison` is `>=`, `>`, `<=`, `<` or
 * CloudWatch's names (GreaterThanOrEqualToThreshold, ...); `periods` defaults to 1.
 */
export const STEP_ALARM_TAG_PREFIX = 'skiff:step-alarm:';

const COMPARISONS: Record<string, Comparison> = {
  '>=': '>=',
  '>': '>',
  '<=': '<=',
  '<': '<',
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanOrEqualToThreshold: '<=',
  LessThanThreshold: '<',
};

export function isStepAlarmTag(key: string): boolean {
  return key.startsWith(STEP_ALARM_TAG_PREFIX) && key.length > STEP_ALARM_TAG_PREFIX.length;
}

/** Parses a step alarm tag value; throws a ValidationException saying what is wrong. */
export function parseStepAlarm(resourceId: string, policyName: string, value: string): StepAlarm {
  const bad = (why: string): never => {
    throw validation(
      `Tag ${STEP_ALARM_TAG_PREFIX}${policyName}='${value}': ${why}. Expected '<PredefinedMetricType> <comparison> <threshold> [<periods>] [<ResourceLabel>]'.`,
    );
  };
  const [metric, op, thresholdText, ...rest] = value.trim().split(/\s+/);
  if (!metric || !(PREDEFINED_METRICS as readonly string[]).includes(metric)) bad(`the metric must be one of ${PREDEFINED_METRICS.join(', ')}`);
  const comparison = op === undefined ? undefined : COMPARISONS[op];
  if (!comparison) bad('the comparison must be >=, >, <=, < or a CloudWatch ComparisonOperator');
  const threshold = Number(thresholdText);
  if (thresholdText === undefined || !Number.isFinite(threshold)) bad('the threshold must be a number');
  let evaluationPeriods = 1;
  if (rest[0] !== undefined && /^\d+$/.test(rest[0])) evaluationPeriods = Number(rest.shift());
  if (evaluationPeriods < 1 || evaluationPeriods > 100) bad('periods must be from 1 to 100');
  const resourceLabel = rest.shift();
  if (rest.length > 0) bad('there are extra words');
  if ((metric === 'ALBRequestCountPerTarget') !== (resourceLabel !== undefined)) {
    bad('a ResourceLabel is required with ALBRequestCountPerTarget and allowed with no other metric');
  }
  return {
    name: stepAlarmName(resourceId, policyName),
    metric: metric as PredefinedMetric,
    resourceLabel,
    comparison: comparison as Comparison,
    threshold,
    evaluationPeriods,
  };
}

/** The declared step alarms of a target, by policy name; malformed tags are refused when set, so skipped here. */
export function stepAlarmsOf(resourceId: string, tags: readonly Tag[]): Map<string, StepAlarm> {
  const out = new Map<string, StepAlarm>();
  for (const t of tags) {
    if (!isStepAlarmTag(t.key)) continue;
    const policyName = t.key.slice(STEP_ALARM_TAG_PREFIX.length);
    try {
      out.set(policyName, parseStepAlarm(resourceId, policyName, t.value));
    } catch {
      // refused at TagResource/RegisterScalableTarget; nothing to run
    }
  }
  return out;
}

/** Throws when any step alarm tag among `tags` is malformed. */
export function checkStepAlarmTags(resourceId: string, tags: readonly Tag[]): void {
  for (const t of tags) {
    if (isStepAlarmTag(t.key)) parseStepAlarm(resourceId, t.key.slice(STEP_ALARM_TAG_PREFIX.length), t.value);
  }
}
