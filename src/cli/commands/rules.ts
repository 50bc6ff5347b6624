import { DescribeRuleCommand, EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, type DescribeRuleResponse, type Rule, type Target } from '@aws-sdk/client-eventbridge';
import { Command } from 'commander';
import { action, printJson, withApiOptions, withClient, type ApiOptions } from '../client.js';
import { formatFields, formatTable, truncate } from '../table.js';
import { shortArn, targetFields } from '../targets.js';

interface RulesOptions extends ApiOptions {
  bus: string;
}

/** `skiff rules [name]`: EventBridge rules on a bus with their targets, or one rule in detail. */
export function rulesCommand(): Command {
  const cmd = new Command('rules')
    .description('list EventBridge rules on a bus with their targets, or show one rule')
    .argument('[name]', 'a rule to show in detail')
    .option('--bus <name>', 'event bus name or ARN', 'default');
  return withApiOptions(cmd, false).action(action(rules));
}

async function rules(name: string | undefined, opts: RulesOptions): Promise<void> {
  await withClient(opts, (config) => new EventBridgeClient(config), async (events) => {
    if (name) {
      const { $metadata: _, ...rule } = await events.send(new DescribeRuleCommand({ Name: name, EventBusName: opts.bus }));
      const targets = await listTargets(events, name, opts.bus);
      if (opts.json) return printJson({ rule, targets });
      process.stdout.write(ruleDetail(rule, targets));
      return;
    }
    const all: Array<{ rule: Rule; targets: Target[] }> = [];
    for (const rule of await listRules(events, opts.bus)) all.push({ rule, targets: await listTargets(events, rule.Name ?? '', opts.bus) });
    if (opts.json) return printJson({ rules: all });
    process.stdout.write(formatTable(['RULE', 'STATE', 'PATTERN / SCHEDULE', 'TARGETS'], all.map(({ rule, targets }) => ruleRow(rule, targets))));
  });
}

async function listRules(events: EventBridgeClient, bus: string): Promise<Rule[]> {
  const out: Rule[] = [];
  let NextToken: string | undefined;
  do {
    const page = await events.send(new ListRulesCommand({ EventBusName: bus, NextToken }));
    out.push(...(page.Rules ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

async function listTargets(events: EventBridgeClient, rule: string, bus: string): Promise<Target[]> {
  const out: Target[] = [];
  let NextToken: string | undefined;
  do {
    const page = await events.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: bus, NextToken }));
    out.push(...(page.Targets ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/** A pattern on one line with its whitespace normalised; as given when it is not JSON. */
export function compactPattern(pattern: string): string {
  try {
    return JSON.stringify(JSON.parse(pattern));
  } catch {
    return pattern;
  }
}

/** One table row: name, state, what triggers it (pattern cut to 60 characters), `id (short ARN)` per target. */
export function ruleRow(rule: Rule, targets: readonly Target[]): string[] {
  const trigger = rule.ScheduleExpression ?? (rule.EventPattern ? truncate(compactPattern(rule.EventPattern), 60) : '-');
  return [rule.Name ?? '', rule.State ?? '', trigger, targets.map((t) => `${t.Id ?? '?'} (${shortArn(t.Arn)})`).join(', ') || '-'];
}

/** A rule's settings, then each target with its ARN and what it runs. */
export function ruleDetail(rule: DescribeRuleResponse, targets: readonly Target[]): string {
  const head = formatFields([
    ['Name', rule.Name],
    ['Arn', rule.Arn],
    ['Event bus', rule.EventBusName],
    ['State', rule.State],
    ['Description', rule.Description],
    ['Pattern', rule.EventPattern && compactPattern(rule.EventPattern)],
    ['Schedule', rule.ScheduleExpression],
    ['Role', rule.RoleArn],
    ['Managed by', rule.ManagedBy],
    ['Targets', String(targets.length)],
  ]);
  const body = targets.map((t) => `\n  ${t.Id ?? '?'}  ${t.Arn ?? '-'}\n${formatFields(targetFields(t), '    ')}`);
  return head + body.join('');
}
