/**
 * What the data plane is told to serve: a complete, self-contained routing table that
 * the control plane (src/elbv2) compiles from its stored resources after every change.
 * The plane knows nothing of ARNs' structure, SQLite or the API; it diffs each new
 * table against what it runs.
 */
export interface PlaneConfig {
  readonly listeners: readonly ListenerConfig[];
  readonly targetGroups: readonly TargetGroupConfig[];
}

export interface ListenerConfig {
  readonly arn: string;
  readonly port: number;
  /** The load balancer's DNS name: picks the listener when several share a port. */
  readonly dnsName: string;
  /** Upstream inactivity limit before a 504 (the load balancer's idle timeout). */
  readonly idleTimeoutMs: number;
  /** Rules in evaluation order (priority ascending); the default rule last, with no conditions. */
  readonly rules: readonly RouteRule[];
}

export interface RouteRule {
  readonly conditions: readonly ConditionConfig[];
  readonly action: RouteAction;
}

export type ConditionConfig =
  | { readonly field: 'path-pattern' | 'host-header' | 'http-request-method' | 'source-ip'; readonly values: readonly string[] }
  | { readonly field: 'http-header'; readonly name: string; readonly values: readonly string[] }
  | { readonly field: 'query-string'; readonly pairs: ReadonlyArray<{ readonly key?: string | undefined; readonly value: string }> };

export type RouteAction =
  | { readonly type: 'forward'; readonly groups: ReadonlyArray<{ readonly arn: string; readonly weight: number }> }
  | { readonly type: 'fixed-response'; readonly status: number; readonly contentType: string | undefined; readonly body: string }
  | {
      readonly type: 'redirect';
      readonly status: 301 | 302;
      readonly protocol: string;
      readonly host: string;
      readonly port: string;
      readonly path: string;
      readonly query: string;
    };

export type Algorithm = 'round_robin' | 'least_outstanding_requests';

export interface HealthCheckConfig {
  readonly path: string;
  /** `traffic-port` (the target's own port) or a port number. */
  readonly port: 'traffic-port' | number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  /** HTTP codes counted as success: `200`, `200,202`, `200-299`. */
  readonly matcher: string;
}

export interface TargetGroupConfig {
  readonly arn: string;
  readonly healthCheck: HealthCheckConfig;
  readonly algorithm: Algorithm;
  readonly deregistrationDelayMs: number;
  /** Whether any listener forwards to the group; unused groups are neither checked nor routed to. */
  readonly inUse: boolean;
  readonly targets: ReadonlyArray<{ readonly id: string; readonly port: number }>;
}

export function targetKey(id: string, port: number): string {
  return `${id}:${port}`;
}
