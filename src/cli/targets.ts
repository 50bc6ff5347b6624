/**
 * Summaries of EventBridge rule targets and Scheduler schedule targets, shared by
 * `skiff rules` and `skiff schedules`. The two SDKs' target shapes agree on the members
 * read here, so each summary takes the structural subset both satisfy.
 */

/** EcsParameters as both APIs spell them. */
export interface EcsParametersView {
  TaskDefinitionArn?: string | undefined;
  TaskCount?: number | undefined;
  LaunchType?: string | undefined;
  PlatformVersion?: string | undefined;
  Group?: string | undefined;
  NetworkConfiguration?: { awsvpcConfiguration?: { Subnets?: string[] | undefined; SecurityGroups?: string[] | undefined; AssignPublicIp?: string | undefined } | undefined } | undefined;
}

/** The members of a target that say what it runs and with what input. */
export interface TargetView {
  Arn?: string | undefined;
  RoleArn?: string | undefined;
  Input?: string | undefined;
  InputPath?: string | undefined;
  InputTransformer?: { InputPathsMap?: Record<string, string> | undefined; InputTemplate?: string | undefined } | undefined;
  EcsParameters?: EcsParametersView | undefined;
  RetryPolicy?: { MaximumRetryAttempts?: number | undefined; MaximumEventAgeInSeconds?: number | undefined } | undefined;
  DeadLetterConfig?: { Arn?: string | undefined } | undefined;
}

/**
 * An ARN without partition, region and account: `ecs:cluster/default`,
 * `states:stateMachine:orders`, `scheduler:aws-sdk:ecs:runTask`. Anything else is returned as is.
 */
export function shortArn(arn: string | undefined): string {
  if (!arn) return '-';
  const parts = arn.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return arn;
  return `${parts[2] ?? ''}:${parts.slice(5).join(':')}`;
}

/** `hello:3` from a task definition ARN; a family or `family:revision` stays as given. */
export function taskDefinitionName(arn: string | undefined): string {
  if (!arn) return '-';
  const at = arn.indexOf('task-definition/');
  return at < 0 ? arn : arn.slice(at + 'task-definition/'.length);
}

/** One line: `hello:3 ×2, FARGATE 1.4.0, subnets subnet-a,subnet-b, public IP ENABLED`. */
export function ecsSummary(p: EcsParametersView): string {
  const vpc = p.NetworkConfiguration?.awsvpcConfiguration;
  const parts = [
    `${taskDefinitionName(p.TaskDefinitionArn)} ×${p.TaskCount ?? 1}`,
    p.LaunchType && [p.LaunchType, p.PlatformVersion].filter(Boolean).join(' '),
    vpc?.Subnets?.length && `subnets ${vpc.Subnets.join(',')}`,
    vpc?.SecurityGroups?.length && `security groups ${vpc.SecurityGroups.join(',')}`,
    vpc?.AssignPublicIp && `public IP ${vpc.AssignPublicIp}`,
    p.Group && `group ${p.Group}`,
  ];
  return parts.filter((x): x is string => typeof x === 'string' && x !== '').join(', ');
}

/** How the target's input is made: constant, a path into the event, or a transformer. */
export function inputFields(t: TargetView): Array<[string, string | undefined]> {
  const transformer = t.InputTransformer;
  if (transformer) {
    const paths = Object.entries(transformer.InputPathsMap ?? {}).map(([name, path]) => `<${name}> = ${path}`);
    return [
      ['Input paths', paths.join(', ') || '(none)'],
      ['Input template', transformer.InputTemplate],
    ];
  }
  if (t.InputPath !== undefined) return [['Input path', t.InputPath]];
  if (t.Input !== undefined) return [['Input', t.Input]];
  return [];
}

/** `185 retries within 86400 s`, from what is set of the policy. */
export function retrySummary(policy: TargetView['RetryPolicy']): string | undefined {
  if (!policy) return undefined;
  const parts = [
    policy.MaximumRetryAttempts !== undefined ? `${policy.MaximumRetryAttempts} ${policy.MaximumRetryAttempts === 1 ? 'retry' : 'retries'}` : undefined,
    policy.MaximumEventAgeInSeconds !== undefined ? `within ${policy.MaximumEventAgeInSeconds} s` : undefined,
  ];
  return parts.filter((x) => x !== undefined).join(' ') || undefined;
}

/** The fields of a target below its ARN: role, ECS task, input, retries, dead letters. */
export function targetFields(t: TargetView): Array<[string, string | undefined]> {
  return [
    ['Role', t.RoleArn],
    ['ECS task', t.EcsParameters ? ecsSummary(t.EcsParameters) : undefined],
    ...inputFields(t),
    ['Retry', retrySummary(t.RetryPolicy)],
    ['Dead letters', t.DeadLetterConfig?.Arn],
  ];
}
