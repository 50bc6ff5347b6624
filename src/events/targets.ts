import type {
  ListRuleNamesByTargetRequest,
  ListRuleNamesByTargetResponse,
  ListTargetsByRuleRequest,
  ListTargetsByRuleResponse,
  PutTargetsRequest,
  PutTargetsResponse,
  RemoveTargetsRequest,
  RemoveTargetsResponse,
  Target,
} from '@aws-sdk/client-eventbridge';
import { isArn, parseArn } from '../core/index.js';
import type { Buses } from './buses.js';
import type { EventsContext } from './context.js';
import { targetKind } from './delivery/invoke.js';
import { constraint, eventsError, invalid } from './errors.js';
import { isValidTargetId } from './names.js';
import { page } from './paging.js';
import type { Rules } from './rules.js';
import { checkInputSpec } from './transform/input.js';

/** Targets a rule may have, as AWS's quota. */
export const MAX_TARGETS_PER_RULE = 5;

/** PutTargets, RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget. */
export class Targets {
  constructor(
    private readonly ctx: EventsContext,
    private readonly buses: Buses,
    private readonly rules: Rules,
  ) {}

  put(req: PutTargetsRequest): PutTargetsResponse {
    const rule = this.rules.require(req.Rule, req.EventBusName);
    const targets = req.Targets ?? [];
    if (targets.length < 1 || targets.length > 10) throw constraint('targets', `[${targets.length} targets]`, 'have length between 1 and 10');
    targets.forEach(checkTarget);
    const ids = new Set(this.ctx.repo.targets(rule.Arn).map((t) => t.Id));
    for (const t of targets) ids.add(t.Id);
    if (ids.size > MAX_TARGETS_PER_RULE) {
      throw eventsError('LimitExceededException', `The requested resource exceeds the maximum number allowed: a rule has at most ${MAX_TARGETS_PER_RULE} targets.`);
    }
    this.ctx.repo.transaction(() => {
      for (const t of targets) this.ctx.repo.putTarget(rule.Arn, t);
    });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  remove(req: RemoveTargetsRequest): RemoveTargetsResponse {
    const rule = this.rules.require(req.Rule, req.EventBusName);
    const ids = req.Ids ?? [];
    if (ids.length < 1 || ids.length > 100) throw constraint('ids', `[${ids.length} ids]`, 'have length between 1 and 100');
    this.ctx.repo.transaction(() => {
      for (const id of ids) this.ctx.repo.deleteTarget(rule.Arn, id);
    });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  listByRule(req: ListTargetsByRuleRequest): ListTargetsByRuleResponse {
    const rule = this.rules.require(req.Rule, req.EventBusName);
    const p = page(this.ctx.repo.targets(rule.Arn), (t) => t.Id ?? '', req.Limit, req.NextToken);
    return { Targets: p.items, NextToken: p.nextToken };
  }

  ruleNamesByTarget(req: ListRuleNamesByTargetRequest): ListRuleNamesByTargetResponse {
    const bus = this.buses.require(req.EventBusName);
    const names = this.ctx.repo
      .rulesByTarget(req.TargetArn ?? '')
      .map((arn) => this.ctx.repo.getRule(arn))
      .filter((r) => r !== undefined && r.EventBusName === bus.Name)
      .map((r) => r?.Name ?? '')
      .sort();
    const p = page(names, (n) => n, req.Limit, req.NextToken);
    return { RuleNames: p.items, NextToken: p.nextToken };
  }
}

function checkTarget(t: Target): void {
  const id = t.Id ?? '';
  if (!isValidTargetId(id)) throw constraint('targets.member.id', id, 'satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length between 1 and 64');
  const arn = t.Arn ?? '';
  if (!isArn(arn) || !parseArn(arn)) throw invalid(`Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`);
  const problem = checkInputSpec(t, id);
  if (problem) throw invalid(problem);
  if (targetKind(arn) === 'ecs') checkEcs(t, id);
  const retry = t.RetryPolicy;
  if (retry?.MaximumRetryAttempts !== undefined && (retry.MaximumRetryAttempts < 0 || retry.MaximumRetryAttempts > 185)) {
    throw constraint('targets.member.retryPolicy.maximumRetryAttempts', retry.MaximumRetryAttempts, 'have value between 0 and 185');
  }
  if (retry?.MaximumEventAgeInSeconds !== undefined && (retry.MaximumEventAgeInSeconds < 60 || retry.MaximumEventAgeInSeconds > 86_400)) {
    throw constraint('targets.member.retryPolicy.maximumEventAgeInSeconds', retry.MaximumEventAgeInSeconds, 'have value between 60 and 86400');
  }
  const dlq = t.DeadLetterConfig?.Arn;
  if (dlq !== undefined && parseArn(dlq)?.service !== 'sqs') throw invalid(`DeadLetterConfig.Arn of target ${id} must be an SQS queue ARN, got ${dlq}.`);
}

function checkEcs(t: Target, id: string): void {
  const p = t.EcsParameters;
  if (!p) throw invalid(`Target ${id} is an ECS cluster: EcsParameters with a TaskDefinitionArn must be given.`);
  if (!p.TaskDefinitionArn) throw invalid(`EcsParameters.TaskDefinitionArn of target ${id} must be given.`);
  if (p.TaskCount !== undefined && p.TaskCount < 1) throw constraint('targets.member.ecsParameters.taskCount', p.TaskCount, 'have value greater than or equal to 1');
  if (p.LaunchType !== undefined && !['EC2', 'FARGATE', 'EXTERNAL'].includes(p.LaunchType)) {
    throw invalid(`EcsParameters.LaunchType of target ${id} must be EC2, FARGATE or EXTERNAL.`);
  }
}
