import { formatArn, isArn, parseArn, type AccountScope } from '../core/index.js';
import { constraintViolation, groupNotFound, invalidParameter } from './errors.js';

/** Names, ARNs and the fixed value sets of CloudWatch Logs, from the API reference. */
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const STREAM_NAME = /^[^:*]*$/;
const MAX_NAME = 512;

export const RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const LOG_GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY', 'ESSENTIALS'] as const;

export function checkGroupName(name: string, member = 'logGroupName'): string {
  if (name.length < 1 || name.length > MAX_NAME) {
    throw constraintViolation(member, name, `have length between 1 and ${MAX_NAME}`);
  }
  if (!GROUP_NAME.test(name)) {
    throw constraintViolation(member, name, 'satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');
  }
  // The aws/ prefix is reserved for log groups AWS services create for themselves.
  if (name.startsWith('aws/')) throw invalidParameter(`Log group names can't start with 'aws/': ${name}`);
  return name;
}

export function checkStreamName(name: string, member = 'logStreamName'): string {
  if (name.length < 1 || name.length > MAX_NAME) {
    throw constraintViolation(member, name, `have length between 1 and ${MAX_NAME}`);
  }
  if (!STREAM_NAME.test(name)) throw constraintViolation(member, name, 'satisfy regular expression pattern: [^:*]*');
  return name;
}

export function checkRetention(days: number): number {
  if (!RETENTION_DAYS.includes(days)) {
    throw constraintViolation('retentionInDays', days, `satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
  }
  return days;
}

/** A `limit` member: absent means `max`; out of range is AWS's constraint error. */
export function checkLimit(limit: number | undefined, max: number, member = 'limit'): number {
  if (limit === undefined) return max;
  if (limit < 1) throw constraintViolation(member, limit, 'have value greater than or equal to 1');
  if (limit > max) throw constraintViolation(member, limit, `have value less than or equal to ${max}`);
  return limit;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>` (no `:*`): the form tagging APIs take. */
export function groupArn(scope: AccountScope, name: string): string {
  return formatArn(scope, 'logs', `log-group:${name}`);
}

export function streamArn(scope: AccountScope, group: string, stream: string): string {
  return formatArn(scope, 'logs', `log-group:${group}:log-stream:${stream}`);
}

/**
 * The group name from an ARN (with or without the trailing `:*`). An ARN of another
 * region or account names a group this server cannot have: not found.
 */
export function groupNameFromArn(scope: AccountScope, arn: string, member: string): string {
  const parts = parseArn(arn);
  const m = parts?.service === 'logs' ? /^log-group:([^:]+)(:\*)?$/.exec(parts.resource) : null;
  if (!parts || !m?.[1]) throw invalidParameter(`${member} '${arn}' is not a log group ARN (arn:aws:logs:<region>:<account>:log-group:<name>).`);
  if (parts.region !== scope.region || parts.account !== scope.account) throw groupNotFound();
  return m[1];
}

export interface GroupRef {
  logGroupName?: string | undefined;
  logGroupIdentifier?: string | undefined;
}

/** Operations that take `logGroupName` or `logGroupIdentifier` (a name or an ARN), exactly one. */
export function groupNameOf(scope: AccountScope, ref: GroupRef): string {
  const { logGroupName: name, logGroupIdentifier: id } = ref;
  if (name !== undefined && id !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (name !== undefined) return checkGroupName(name);
  if (id === undefined) throw invalidParameter('Either logGroupName or logGroupIdentifier must be specified.');
  return isArn(id) ? groupNameFromArn(scope, id, 'logGroupIdentifier') : checkGroupName(id, 'logGroupIdentifier');
}
