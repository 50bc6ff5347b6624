import type { Algorithm, ConditionConfig, ListenerConfig, PlaneConfig, RouteAction, TargetGroupConfig } from '../lb/index.js';
import { LOAD_BALANCER_DEFAULTS, TARGET_GROUP_DEFAULTS } from './attributes.js';
import { targetGroupUsage, type Action, type RuleCondition, type StoredTargetGroup } from './model.js';
import type { Elbv2Snapshot } from './repository.js';

/**
 * Compiles what ELBv2 stores into the data plane's routing table: listeners with their
 * rules in priority order (the default rule last), and every target group with its
 * health check, algorithm, draining delay and registered targets.
 */
export function planeConfigOf(s: Elbv2Snapshot): PlaneConfig {
  const lbs = new Map(s.loadBalancers.map((lb) => [lb.LoadBalancerArn, lb]));
  const usage = targetGroupUsage(s.listeners, s.rules);
  const listeners: ListenerConfig[] = [];
  for (const l of s.listeners) {
    const lb = lbs.get(l.LoadBalancerArn);
    if (!lb) continue;
    const rules = s.rules
      .filter((r) => r.ListenerArn === l.ListenerArn)
      .sort((a, b) => Number(a.Priority) - Number(b.Priority))
      .map((r) => ({ conditions: r.Conditions.map(conditionOf), action: actionOf(r.Actions) }));
    rules.push({ conditions: [], action: actionOf(l.DefaultActions) });
    const idle = Number(lb.attributes['idle_timeout.timeout_seconds'] ?? LOAD_BALANCER_DEFAULTS['idle_timeout.timeout_seconds']);
    listeners.push({ arn: l.ListenerArn, port: l.Port, dnsName: lb.DNSName.toLowerCase(), idleTimeoutMs: idle * 1000, rules });
  }
  const targets = new Map<string, Array<{ id: string; port: number }>>();
  for (const t of s.targets) {
    const list = targets.get(t.targetGroupArn) ?? [];
    list.push({ id: t.id, port: t.port });
    targets.set(t.targetGroupArn, list);
  }
  const targetGroups = s.targetGroups.map((tg) => groupOf(tg, usage.has(tg.TargetGroupArn), targets.get(tg.TargetGroupArn) ?? []));
  return { listeners, targetGroups };
}

function attribute(tg: StoredTargetGroup, key: string): string {
  return tg.attributes[key] ?? TARGET_GROUP_DEFAULTS[key] ?? '';
}

function groupOf(tg: StoredTargetGroup, inUse: boolean, targets: Array<{ id: string; port: number }>): TargetGroupConfig {
  // weighted_random is served as round robin: without anomaly mitigation they spread alike
  const algorithm: Algorithm = attribute(tg, 'load_balancing.algorithm.type') === 'least_outstanding_requests' ? 'least_outstanding_requests' : 'round_robin';
  return {
    arn: tg.TargetGroupArn,
    healthCheck: {
      path: tg.HealthCheckPath,
      port: tg.HealthCheckPort === 'traffic-port' ? 'traffic-port' : Number(tg.HealthCheckPort),
      intervalMs: tg.HealthCheckIntervalSeconds * 1000,
      timeoutMs: tg.HealthCheckTimeoutSeconds * 1000,
      healthyThreshold: tg.HealthyThresholdCount,
      unhealthyThreshold: tg.UnhealthyThresholdCount,
      matcher: tg.Matcher.HttpCode ?? '200',
    },
    algorithm,
    deregistrationDelayMs: Number(attribute(tg, 'deregistration_delay.timeout_seconds')) * 1000,
    inUse,
    targets,
  };
}

/** The one final action of a rule (authenticate actions are refused at the API). */
export function actionOf(actions: readonly Action[]): RouteAction {
  const a = actions[actions.length - 1];
  if (a?.Type === 'fixed-response' && a.FixedResponseConfig) {
    const c = a.FixedResponseConfig;
    return { type: 'fixed-response', status: Number(c.StatusCode), contentType: c.ContentType, body: c.MessageBody ?? '' };
  }
  if (a?.Type === 'redirect' && a.RedirectConfig) {
    const c = a.RedirectConfig;
    return {
      type: 'redirect',
      status: c.StatusCode === 'HTTP_301' ? 301 : 302,
      protocol: c.Protocol ?? '#{protocol}',
      host: c.Host ?? '#{host}',
      port: c.Port ?? '#{port}',
      path: c.Path ?? '/#{path}',
      query: c.Query ?? '#{query}',
    };
  }
  const groups = a?.ForwardConfig?.TargetGroups?.map((g) => ({ arn: g.TargetGroupArn, weight: g.Weight ?? 1 })) ?? [];
  if (groups.length === 0 && a?.TargetGroupArn) groups.push({ arn: a.TargetGroupArn, weight: 1 });
  return { type: 'forward', groups };
}

export function conditionOf(c: RuleCondition): ConditionConfig {
  switch (c.Field) {
    case 'path-pattern':
      return { field: 'path-pattern', values: c.PathPatternConfig?.Values ?? c.Values ?? [] };
    case 'host-header':
      return { field: 'host-header', values: c.HostHeaderConfig?.Values ?? c.Values ?? [] };
    case 'http-request-method':
      return { field: 'http-request-method', values: c.HttpRequestMethodConfig?.Values ?? [] };
    case 'source-ip':
      return { field: 'source-ip', values: c.SourceIpConfig?.Values ?? [] };
    case 'http-header':
      return { field: 'http-header', name: c.HttpHeaderConfig?.HttpHeaderName ?? '', values: c.HttpHeaderConfig?.Values ?? [] };
    default:
      return { field: 'query-string', pairs: (c.QueryStringConfig?.Values ?? []).map((p) => ({ key: p.Key, value: p.Value ?? '' })) };
  }
}
