import type {
  DeleteRuleRequest,
  DescribeRuleRequest,
  DescribeRuleResponse,
  DisableRuleRequest,
  EnableRuleRequest,
  ListRulesRequest,
  ListRulesResponse,
  PutRuleRequest,
  PutRuleResponse,
  Rule,
} from '@aws-sdk/client-eventbridge';
import type { Buses } from './buses.js';
import type { EventsContext } from './context.js';
import { eventsError, invalid } from './errors.js';
import { checkRuleName, DEFAULT_BUS, ruleArn } from './names.js';
import { page } from './paging.js';
import { compilePattern, PatternError } from './pattern/compile.js';
import { nextRuleRun, parseRuleSchedule } from './rule-schedule.js';
import type { RuleState, StoredRule } from './store/repository.js';
import { checkTags, toStoreTags } from './tags.js';

const STATES: readonly RuleState[] = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

/** Checks an event pattern as PutRule does: InvalidEventPatternException with the reason. */
export function checkPattern(text: string): void {
  try {
    compilePattern(text);
  } catch (err) {
    if (err instanceof PatternError) throw eventsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${err.message}`);
    throw err;
  }
}

/** PutRule, DescribeRule, ListRules, EnableRule, DisableRule, DeleteRule. */
export class Rules {
  constructor(
    private readonly ctx: EventsContext,
    private readonly buses: Buses,
    private readonly onScheduleChanged: () => void,
  ) {}

  /** The rule a (name, bus) names; ResourceNotFoundException when there is none. */
  require(name: string | undefined, busRef: string | undefined): StoredRule {
    const bus = this.buses.require(busRef);
    const rule = this.ctx.repo.getRule(ruleArn(this.ctx.scope, bus.Name, checkRuleName(name ?? '')));
    if (!rule) throw eventsError('ResourceNotFoundException', `Rule ${name ?? ''} does not exist on EventBus ${bus.Name}.`);
    return rule;
  }

  put(req: PutRuleRequest, createdBy: string): PutRuleResponse {
    const name = checkRuleName(req.Name ?? '');
    const bus = this.buses.require(req.EventBusName);
    this.checkPutRule(req, bus.Name);
    const arn = ruleArn(this.ctx.scope, bus.Name, name);
    const existing = this.ctx.repo.getRule(arn);
    const now = this.ctx.clock.now().getTime();
    const state = (req.State ?? 'ENABLED') as RuleState;
    // re-putting a scheduled rule unchanged keeps its next run (and a rate's phase)
    const keepPhase =
      existing !== undefined && req.ScheduleExpression !== undefined && existing.ScheduleExpression === req.ScheduleExpression && existing.State !== 'DISABLED' && state !== 'DISABLED';
    const rule: StoredRule = {
      Name: name,
      Arn: arn,
      EventBusName: bus.Name,
      EventPattern: req.EventPattern,
      ScheduleExpression: req.ScheduleExpression,
      State: state,
      Description: req.Description,
      RoleArn: req.RoleArn,
      CreatedBy: existing?.CreatedBy ?? createdBy,
      ScheduleAnchor: keepPhase ? existing.ScheduleAnchor : req.ScheduleExpression ? now : undefined,
    };
    const next = keepPhase ? this.ctx.repo.dueAtOf(arn) : nextRuleRun(rule, now, this.ctx.options);
    this.ctx.repo.transaction(() => {
      this.ctx.repo.putRule(rule, next);
      if (!existing) this.ctx.tags.put(arn, toStoreTags(req.Tags));
    });
    this.ctx.patterns.forget(arn);
    this.onScheduleChanged();
    return { RuleArn: arn };
  }

  private checkPutRule(req: PutRuleRequest, bus: string): void {
    if (req.EventPattern === undefined && req.ScheduleExpression === undefined) {
      throw invalid('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    if (req.ScheduleExpression !== undefined) {
      if (bus !== DEFAULT_BUS) throw invalid('ScheduleExpression is supported only on the default event bus.');
      parseRuleSchedule(req.ScheduleExpression, this.ctx.options);
    }
    if (req.EventPattern !== undefined) checkPattern(req.EventPattern);
    if (req.State !== undefined && !STATES.includes(req.State as RuleState)) {
      throw invalid(`1 validation error detected: Value '${req.State}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [${STATES.join(', ')}]`);
    }
    if ((req.Description ?? '').length > 512) throw invalid('Description can be at most 512 characters.');
    checkTags(req.Tags);
  }

  describe(req: DescribeRuleRequest): DescribeRuleResponse {
    const r = this.require(req.Name, req.EventBusName);
    return { ...view(r), CreatedBy: r.CreatedBy };
  }

  list(req: ListRulesRequest): ListRulesResponse {
    const bus = this.buses.require(req.EventBusName);
    const prefix = req.NamePrefix ?? '';
    const rules = this.ctx.repo.listRules(bus.Name).filter((r) => r.Name.startsWith(prefix));
    const p = page(rules, (r) => r.Name, req.Limit, req.NextToken);
    return { Rules: p.items.map(view), NextToken: p.nextToken };
  }

  enable(req: EnableRuleRequest): Record<string, never> {
    return this.setState(this.require(req.Name, req.EventBusName), 'ENABLED');
  }

  disable(req: DisableRuleRequest): Record<string, never> {
    return this.setState(this.require(req.Name, req.EventBusName), 'DISABLED');
  }

  private setState(rule: StoredRule, state: RuleState): Record<string, never> {
    if (rule.State === state) return {};
    const now = this.ctx.clock.now().getTime();
    // a re-enabled rate counts from now: runs missed while disabled are not made up
    const updated: StoredRule = { ...rule, State: state, ScheduleAnchor: rule.ScheduleExpression ? now : undefined };
    this.ctx.repo.putRule(updated, nextRuleRun(updated, now, this.ctx.options));
    this.onScheduleChanged();
    return {};
  }

  delete(req: DeleteRuleRequest): Record<string, never> {
    const bus = this.buses.require(req.EventBusName);
    const arn = ruleArn(this.ctx.scope, bus.Name, checkRuleName(req.Name ?? ''));
    if (!this.ctx.repo.getRule(arn)) return {};
    if (this.ctx.repo.targets(arn).length > 0) throw invalid("Rule can't be deleted since it has targets.");
    this.ctx.repo.transaction(() => {
      this.ctx.repo.deleteRule(arn);
      this.ctx.tags.removeAll(arn);
    });
    this.ctx.patterns.forget(arn);
    return {};
  }
}

function view(r: StoredRule): Rule {
  return {
    Name: r.Name,
    Arn: r.Arn,
    EventPattern: r.EventPattern,
    ScheduleExpression: r.ScheduleExpression,
    State: r.State,
    Description: r.Description,
    RoleArn: r.RoleArn,
    EventBusName: r.EventBusName,
  };
}
