/**
 * ELBv2 resources as the API describes them (member names of the 2015-12-01 model;
 * `@aws-sdk/client-elastic-load-balancing-v2` is not a dependency yet, so the shapes
 * the responses need are spelled out here), plus what Skiff stores beside them.
 */
export interface Tag {
  Key: string;
  Value?: string | undefined;
}

export interface AvailabilityZone {
  ZoneName: string;
  SubnetId: string;
  LoadBalancerAddresses: never[];
}

export type LoadBalancerStateCode = 'provisioning' | 'active' | 'active_impaired' | 'failed';

export interface LoadBalancer {
  LoadBalancerArn: string;
  DNSName: string;
  CanonicalHostedZoneId: string;
  CreatedTime: Date;
  LoadBalancerName: string;
  Scheme: 'internet-facing' | 'internal';
  VpcId: string;
  State: { Code: LoadBalancerStateCode; Reason?: string | undefined };
  Type: 'application';
  AvailabilityZones: AvailabilityZone[];
  SecurityGroups: string[];
  IpAddressType: 'ipv4' | 'dualstack';
}

export interface StoredLoadBalancer extends LoadBalancer {
  /** Load balancer attributes (idle_timeout.timeout_seconds, deletion_protection.enabled, ...). */
  attributes: Record<string, string>;
}

export interface Matcher {
  HttpCode?: string | undefined;
  GrpcCode?: string | undefined;
}

export type TargetType = 'ip' | 'instance';

export interface TargetGroup {
  TargetGroupArn: string;
  TargetGroupName: string;
  Protocol: 'HTTP';
  ProtocolVersion: string;
  Port: number;
  VpcId: string;
  HealthCheckProtocol: 'HTTP';
  HealthCheckPort: string;
  HealthCheckEnabled: boolean;
  HealthCheckIntervalSeconds: number;
  HealthCheckTimeoutSeconds: number;
  HealthyThresholdCount: number;
  UnhealthyThresholdCount: number;
  HealthCheckPath: string;
  Matcher: Matcher;
  LoadBalancerArns: string[];
  TargetType: TargetType;
  IpAddressType: 'ipv4' | 'ipv6';
}

export interface StoredTargetGroup extends Omit<TargetGroup, 'LoadBalancerArns'> {
  /** Target group attributes (deregistration_delay.timeout_seconds, load_balancing.algorithm.type, ...). */
  attributes: Record<string, string>;
}

export interface TargetGroupTuple {
  TargetGroupArn: string;
  Weight?: number | undefined;
}

export interface ForwardConfig {
  TargetGroups?: TargetGroupTuple[] | undefined;
  TargetGroupStickinessConfig?: { Enabled?: boolean | undefined; DurationSeconds?: number | undefined } | undefined;
}

export interface FixedResponseConfig {
  MessageBody?: string | undefined;
  StatusCode: string;
  ContentType?: string | undefined;
}

export interface RedirectConfig {
  Protocol?: string | undefined;
  Port?: string | undefined;
  Host?: string | undefined;
  Path?: string | undefined;
  Query?: string | undefined;
  StatusCode: 'HTTP_301' | 'HTTP_302';
}

export interface Action {
  Type: 'forward' | 'fixed-response' | 'redirect';
  TargetGroupArn?: string | undefined;
  Order?: number | undefined;
  ForwardConfig?: ForwardConfig | undefined;
  FixedResponseConfig?: FixedResponseConfig | undefined;
  RedirectConfig?: RedirectConfig | undefined;
}

export interface ValuesConfig {
  Values?: string[] | undefined;
}

export interface RuleCondition {
  Field: string;
  Values?: string[] | undefined;
  HostHeaderConfig?: ValuesConfig | undefined;
  PathPatternConfig?: ValuesConfig | undefined;
  HttpHeaderConfig?: { HttpHeaderName?: string | undefined; Values?: string[] | undefined } | undefined;
  QueryStringConfig?: { Values?: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined } | undefined;
  HttpRequestMethodConfig?: ValuesConfig | undefined;
  SourceIpConfig?: ValuesConfig | undefined;
}

export interface Listener {
  ListenerArn: string;
  LoadBalancerArn: string;
  Port: number;
  Protocol: 'HTTP';
  DefaultActions: Action[];
}

export interface StoredListener extends Listener {
  /** The ARN of the listener's default rule (its DefaultActions, priority `default`). */
  DefaultRuleArn: string;
}

export interface Rule {
  RuleArn: string;
  Priority: string;
  Conditions: RuleCondition[];
  Actions: Action[];
  IsDefault: boolean;
}

export interface StoredRule extends Rule {
  ListenerArn: string;
}

export interface RegisteredTarget {
  targetGroupArn: string;
  id: string;
  port: number;
  availabilityZone?: string | undefined;
  registeredAt: Date;
}

/** Where a target group is used: the load balancers whose listeners or rules forward to it. */
export function forwardedGroups(actions: readonly Action[]): string[] {
  const arns = new Set<string>();
  for (const a of actions) {
    if (a.Type !== 'forward') continue;
    if (a.TargetGroupArn) arns.add(a.TargetGroupArn);
    for (const t of a.ForwardConfig?.TargetGroups ?? []) arns.add(t.TargetGroupArn);
  }
  return [...arns];
}

/** For each target group, the load balancers whose listeners or rules forward to it. */
export function targetGroupUsage(listeners: readonly StoredListener[], rules: readonly StoredRule[]): Map<string, string[]> {
  const lbOfListener = new Map(listeners.map((l) => [l.ListenerArn, l.LoadBalancerArn]));
  const usage = new Map<string, Set<string>>();
  const note = (actions: readonly Action[], lb: string | undefined): void => {
    if (lb === undefined) return;
    for (const tg of forwardedGroups(actions)) {
      const set = usage.get(tg) ?? new Set<string>();
      set.add(lb);
      usage.set(tg, set);
    }
  };
  for (const l of listeners) note(l.DefaultActions, l.LoadBalancerArn);
  for (const r of rules) note(r.Actions, lbOfListener.get(r.ListenerArn));
  return new Map([...usage].map(([tg, lbs]) => [tg, [...lbs].sort()]));
}
