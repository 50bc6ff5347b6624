import type { Elbv2Context } from './context.js';
import { constraint, elbError, invalid, tgNotFound } from './errors.js';
import { targetGroupUsage, type Action, type ForwardConfig, type RedirectConfig } from './model.js';

/** An action as decoded from the request, before checking. */
export interface ActionInput {
  Type: string;
  TargetGroupArn?: string;
  Order?: number;
  ForwardConfig?: { TargetGroups?: Array<{ TargetGroupArn?: string; Weight?: number }>; TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number } };
  FixedResponseConfig?: { MessageBody?: string; StatusCode: string; ContentType?: string };
  RedirectConfig?: { Protocol?: string; Port?: string; Host?: string; Path?: string; Query?: string; StatusCode: string };
  AuthenticateOidcConfig?: unknown;
  AuthenticateCognitoConfig?: unknown;
}

const CONTENT_TYPES = ['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json'];

/**
 * Checks a listener's default actions or a rule's actions and returns them as AWS
 * describes them (a forward to one group also shows its ForwardConfig, redirects show
 * every part). Skiff serves exactly one final action; authenticate actions are refused.
 */
export function checkActions(ctx: Elbv2Context, actions: ActionInput[], lbArn: string): Action[] {
  if (actions.length === 0) throw invalid('At least one action must be specified');
  for (const a of actions) {
    if (a.Type === 'authenticate-oidc' || a.Type === 'authenticate-cognito') {
      throw elbError('InvalidLoadBalancerAction', `Action type '${a.Type}' is not supported by skiff (it needs HTTPS and an identity provider)`);
    }
  }
  if (actions.length > 1) {
    throw elbError('InvalidLoadBalancerAction', 'Only one forward, redirect or fixed-response action can be specified per rule');
  }
  const a = actions[0]!;
  if (a.Order !== undefined && (a.Order < 1 || a.Order > 50000)) throw constraint('order', a.Order, 'Member must have value between 1 and 50000');
  const order = a.Order === undefined ? {} : { Order: a.Order };
  switch (a.Type) {
    case 'forward':
      return [{ Type: 'forward', ...forward(ctx, a, lbArn), ...order }];
    case 'fixed-response':
      return [{ Type: 'fixed-response', FixedResponseConfig: fixedResponse(a), ...order }];
    case 'redirect':
      return [{ Type: 'redirect', RedirectConfig: redirect(a), ...order }];
    default:
      throw constraint('type', a.Type, 'Member must satisfy enum value set: [forward, authenticate-oidc, authenticate-cognito, redirect, fixed-response]');
  }
}

function forward(ctx: Elbv2Context, a: ActionInput, lbArn: string): { TargetGroupArn?: string; ForwardConfig: ForwardConfig } {
  const tuples = a.ForwardConfig?.TargetGroups ?? [];
  if (a.TargetGroupArn !== undefined && tuples.length > 0) {
    const single = tuples.length === 1 && tuples[0]?.TargetGroupArn === a.TargetGroupArn;
    if (!single) throw elbError('InvalidLoadBalancerAction', 'You cannot specify both a target group ARN and a forward config with other target groups');
  }
  const groups = tuples.length > 0 ? tuples : a.TargetGroupArn !== undefined ? [{ TargetGroupArn: a.TargetGroupArn, Weight: 1 }] : [];
  if (groups.length === 0) throw elbError('InvalidLoadBalancerAction', 'A forward action needs a target group ARN or a forward config with target groups');
  if (groups.length > 5) throw elbError('InvalidLoadBalancerAction', 'A forward action can have at most 5 target groups');
  const usage = targetGroupUsage(ctx.repo.listeners(), ctx.repo.rules());
  const seen = new Set<string>();
  const checked = groups.map((g) => {
    const arn = g.TargetGroupArn ?? '';
    if (seen.has(arn)) throw elbError('InvalidLoadBalancerAction', `Target group '${arn}' is listed twice`);
    seen.add(arn);
    if (!ctx.repo.targetGroup(arn)) throw tgNotFound();
    const other = usage.get(arn)?.find((lb) => lb !== lbArn);
    // An Application Load Balancer's target group serves one load balancer only.
    if (other) throw elbError('TargetGroupAssociationLimit', `The target group '${arn}' is already associated with a different load balancer ('${other}')`);
    const weight = g.Weight ?? 1;
    if (weight < 0 || weight > 999) throw constraint('weight', weight, 'Member must have value between 0 and 999');
    return { TargetGroupArn: arn, Weight: weight };
  });
  const stickiness = { Enabled: a.ForwardConfig?.TargetGroupStickinessConfig?.Enabled ?? false, DurationSeconds: a.ForwardConfig?.TargetGroupStickinessConfig?.DurationSeconds };
  const config: ForwardConfig = { TargetGroups: checked, TargetGroupStickinessConfig: stickiness };
  return checked.length === 1 ? { TargetGroupArn: checked[0]!.TargetGroupArn, ForwardConfig: config } : { ForwardConfig: config };
}

function fixedResponse(a: ActionInput): NonNullable<Action['FixedResponseConfig']> {
  const c = a.FixedResponseConfig;
  if (!c) throw invalid('A fixed-response action needs a FixedResponseConfig');
  if (!/^[245]\d\d$/.test(c.StatusCode)) throw constraint('statusCode', c.StatusCode, 'Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$');
  if (c.ContentType !== undefined && !CONTENT_TYPES.includes(c.ContentType)) {
    throw invalid(`Content type '${c.ContentType}' must be one of: ${CONTENT_TYPES.join(', ')}`);
  }
  if ((c.MessageBody ?? '').length > 1024) throw constraint('messageBody', c.MessageBody, 'Member must have length less than or equal to 1024');
  return { StatusCode: c.StatusCode, ContentType: c.ContentType, MessageBody: c.MessageBody };
}

function redirect(a: ActionInput): RedirectConfig {
  const c = a.RedirectConfig;
  if (!c) throw invalid('A redirect action needs a RedirectConfig');
  if (c.StatusCode !== 'HTTP_301' && c.StatusCode !== 'HTTP_302') throw constraint('statusCode', c.StatusCode, 'Member must satisfy enum value set: [HTTP_301, HTTP_302]');
  const r: RedirectConfig = {
    Protocol: c.Protocol ?? '#{protocol}',
    Port: c.Port ?? '#{port}',
    Host: c.Host ?? '#{host}',
    Path: c.Path ?? '/#{path}',
    Query: c.Query ?? '#{query}',
    StatusCode: c.StatusCode,
  };
  if (!['HTTP', 'HTTPS', '#{protocol}'].includes(r.Protocol!)) throw invalid(`Redirect protocol '${r.Protocol}' must be HTTP, HTTPS or #{protocol}`);
  if (!r.Path!.startsWith('/')) throw invalid(`Redirect path '${r.Path}' must begin with a '/' character`);
  const loop = r.Protocol === '#{protocol}' && r.Port === '#{port}' && r.Host === '#{host}' && r.Path === '/#{path}' && r.Query === '#{query}';
  if (loop) throw elbError('InvalidLoadBalancerAction', 'The redirect configuration is not valid because it creates a loop');
  return r;
}
