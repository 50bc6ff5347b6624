import { decodeToken, pageOf } from '../core/index.js';
import { checkActions, type ActionInput } from './actions.js';
import { checkConditions, type ConditionInput } from './conditions.js';
import type { Elbv2Context } from './context.js';
import { constraint, elbError, Elbv2Errors, invalid, listenerNotFound, ruleNotFound } from './errors.js';
import type { Rule, StoredListener, StoredRule, Tag } from './model.js';
import { listenerOfRule, newId, pageSize, ruleArn } from './names.js';
import { checkTags } from './tags.js';

const MAX_RULES = 100;

function publicRule(r: StoredRule): Rule {
  const { ListenerArn: _l, ...rest } = r;
  return rest;
}

/** The rule a listener's DefaultActions make, listed last by DescribeRules. */
export function defaultRule(l: StoredListener): Rule {
  return { RuleArn: l.DefaultRuleArn, Priority: 'default', Conditions: [], Actions: l.DefaultActions, IsDefault: true };
}

function checkPriority(p: number): number {
  if (p < 1 || p > 50000) throw constraint('priority', p, 'Member must have value between 1 and 50000');
  return p;
}

/** CreateRule, DescribeRules, ModifyRule, DeleteRule, SetRulePriorities. */
export class Rules {
  constructor(private readonly ctx: Elbv2Context) {}

  create(input: { ListenerArn: string; Conditions: ConditionInput[]; Priority: number; Actions: ActionInput[]; Tags?: Tag[] }): { Rules: Rule[] } {
    const { repo } = this.ctx;
    const listener = repo.listener(input.ListenerArn);
    if (!listener) throw listenerNotFound();
    const priority = checkPriority(input.Priority);
    const conditions = checkConditions(input.Conditions);
    const actions = checkActions(this.ctx, input.Actions, listener.LoadBalancerArn);
    checkTags(input.Tags ?? []);
    const siblings = repo.rules().filter((r) => r.ListenerArn === listener.ListenerArn);
    if (siblings.some((r) => Number(r.Priority) === priority)) throw elbError('PriorityInUse', `Priority '${priority}' is currently in use`);
    if (siblings.length >= MAX_RULES) throw elbError('TooManyRules', `A listener can have at most ${MAX_RULES} rules besides the default one`);
    const rule: StoredRule = {
      RuleArn: ruleArn(listener.ListenerArn, newId(this.ctx.ids)),
      Priority: String(priority),
      Conditions: conditions,
      Actions: actions,
      IsDefault: false,
      ListenerArn: listener.ListenerArn,
    };
    repo.transaction(() => {
      repo.putRule(rule);
      this.ctx.tags.put(rule.RuleArn, (input.Tags ?? []).map((t) => ({ key: t.Key, value: t.Value ?? '' })));
    });
    this.ctx.changed();
    return { Rules: [publicRule(rule)] };
  }

  describe(input: { ListenerArn?: string; RuleArns?: string[]; Marker?: string; PageSize?: number }): { Rules: Rule[]; NextMarker?: string } {
    const size = pageSize(input.PageSize);
    let all: Rule[];
    if (input.RuleArns?.length) {
      if (input.ListenerArn !== undefined) throw invalid('Rule ARNs and a listener ARN cannot be specified at the same time');
      all = input.RuleArns.map((arn) => this.find(arn));
    } else if (input.ListenerArn !== undefined) {
      const listener = this.ctx.repo.listener(input.ListenerArn);
      if (!listener) throw listenerNotFound();
      const rules = this.ctx.repo.rules().filter((r) => r.ListenerArn === listener.ListenerArn);
      all = [...rules.map(publicRule), defaultRule(listener)];
    } else {
      throw invalid('You must specify either listener ARNs or rule ARNs');
    }
    const index = new Map(all.map((r, i) => [r.RuleArn, String(i).padStart(6, '0')]));
    const after = input.Marker === undefined ? undefined : decodeToken(input.Marker, Elbv2Errors.ValidationError);
    const page = pageOf(all, (r) => index.get(r.RuleArn)!, size, after);
    return { Rules: page.items, ...(page.nextToken ? { NextMarker: page.nextToken } : {}) };
  }

  modify(input: { RuleArn: string; Conditions?: ConditionInput[]; Actions?: ActionInput[] }): { Rules: Rule[] } {
    const { repo } = this.ctx;
    const listener = repo.listener(listenerOfRule(input.RuleArn));
    if (listener && listener.DefaultRuleArn === input.RuleArn) {
      if (input.Conditions !== undefined) throw elbError('OperationNotPermitted', 'The conditions of a default rule cannot be modified');
      if (input.Actions !== undefined) {
        listener.DefaultActions = checkActions(this.ctx, input.Actions, listener.LoadBalancerArn);
        repo.putListener(listener);
        this.ctx.changed();
      }
      return { Rules: [defaultRule(listener)] };
    }
    const rule = repo.rule(input.RuleArn);
    if (!rule || !listener) throw ruleNotFound();
    if (input.Conditions !== undefined) rule.Conditions = checkConditions(input.Conditions);
    if (input.Actions !== undefined) rule.Actions = checkActions(this.ctx, input.Actions, listener.LoadBalancerArn);
    repo.putRule(rule);
    this.ctx.changed();
    return { Rules: [publicRule(rule)] };
  }

  delete(input: { RuleArn: string }): Record<string, never> {
    const { repo } = this.ctx;
    if (repo.listener(listenerOfRule(input.RuleArn))?.DefaultRuleArn === input.RuleArn) {
      throw elbError('OperationNotPermitted', 'A default rule cannot be deleted: delete the listener instead');
    }
    if (!repo.rule(input.RuleArn)) throw ruleNotFound();
    repo.transaction(() => {
      this.ctx.tags.removeAll(input.RuleArn);
      repo.deleteRule(input.RuleArn);
    });
    this.ctx.changed();
    return {};
  }

  setPriorities(input: { RulePriorities: Array<{ RuleArn?: string; Priority?: number }> }): { Rules: Rule[] } {
    const { repo } = this.ctx;
    const changes = input.RulePriorities.map((p) => {
      const rule = repo.rule(p.RuleArn ?? '');
      if (!rule) {
        if (repo.listener(listenerOfRule(p.RuleArn ?? ''))?.DefaultRuleArn === p.RuleArn) {
          throw elbError('OperationNotPermitted', 'The priority of a default rule cannot be changed');
        }
        throw ruleNotFound();
      }
      return { ...rule, Priority: String(checkPriority(p.Priority ?? 0)) };
    });
    const moved = new Set(changes.map((r) => r.RuleArn));
    const final = [...repo.rules().filter((r) => !moved.has(r.RuleArn)), ...changes];
    const seen = new Set<string>();
    for (const r of final) {
      const key = `${r.ListenerArn} ${r.Priority}`;
      if (seen.has(key)) throw elbError('PriorityInUse', `Priority '${r.Priority}' is currently in use`);
      seen.add(key);
    }
    repo.transaction(() => {
      for (const r of changes) repo.deleteRule(r.RuleArn);
      for (const r of changes) repo.putRule(r);
    });
    this.ctx.changed();
    return { Rules: changes.map(publicRule) };
  }

  private find(arn: string): Rule {
    const rule = this.ctx.repo.rule(arn);
    if (rule) return publicRule(rule);
    const listener = this.ctx.repo.listener(listenerOfRule(arn));
    if (listener?.DefaultRuleArn === arn) return defaultRule(listener);
    throw ruleNotFound();
  }
}
