import { badConfig, constraint } from './errors.js';

/**
 * Load balancer and target group attributes: every key an Application Load Balancer
 * (and an HTTP target group of type ip/instance) has, with AWS's defaults. Describe
 * answers all of them; Modify checks the values of the ones Skiff acts on and accepts
 * the rest as data.
 */
export const LOAD_BALANCER_DEFAULTS: Readonly<Record<string, string>> = {
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'client_keep_alive.seconds': '3600',
  'deletion_protection.enabled': 'false',
  'idle_timeout.timeout_seconds': '60',
  'routing.http.desync_mitigation_mode': 'defensive',
  'routing.http.drop_invalid_header_fields.enabled': 'false',
  'routing.http.preserve_host_header.enabled': 'false',
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': 'false',
  'routing.http.xff_client_port.enabled': 'false',
  'routing.http.xff_header_processing.mode': 'append',
  'routing.http2.enabled': 'true',
  'waf.fail_open.enabled': 'false',
};

export const TARGET_GROUP_DEFAULTS: Readonly<Record<string, string>> = {
  'deregistration_delay.timeout_seconds': '300',
  'load_balancing.algorithm.type': 'round_robin',
  'load_balancing.algorithm.anomaly_mitigation': 'off',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'slow_start.duration_seconds': '0',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'stickiness.app_cookie.cookie_name': '',
  'stickiness.app_cookie.duration_seconds': '86400',
  'target_group_health.dns_failover.minimum_healthy_targets.count': '1',
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': 'off',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': 'off',
};

type Check = (value: string) => boolean;

const int = (lo: number, hi: number): Check => (v) => /^\d+$/.test(v) && Number(v) >= lo && Number(v) <= hi;
const bool: Check = (v) => v === 'true' || v === 'false';
const oneOf = (...values: string[]): Check => (v) => values.includes(v);

const LB_CHECKS: Record<string, [Check, string]> = {
  'idle_timeout.timeout_seconds': [int(1, 4000), 'an integer from 1 to 4000'],
  'deletion_protection.enabled': [bool, 'true or false'],
  'routing.http2.enabled': [bool, 'true or false'],
  'client_keep_alive.seconds': [int(60, 604800), 'an integer from 60 to 604800'],
  'routing.http.xff_header_processing.mode': [oneOf('append', 'preserve', 'remove'), 'append, preserve or remove'],
};

const TG_CHECKS: Record<string, [Check, string]> = {
  'deregistration_delay.timeout_seconds': [int(0, 3600), 'an integer from 0 to 3600'],
  'load_balancing.algorithm.type': [oneOf('round_robin', 'least_outstanding_requests', 'weighted_random'), 'round_robin, least_outstanding_requests or weighted_random'],
  'slow_start.duration_seconds': [(v) => v === '0' || int(30, 900)(v), '0 or an integer from 30 to 900'],
  'stickiness.enabled': [bool, 'true or false'],
  'stickiness.type': [oneOf('lb_cookie', 'app_cookie'), 'lb_cookie or app_cookie'],
  'stickiness.lb_cookie.duration_seconds': [int(1, 604800), 'an integer from 1 to 604800'],
};

/** Applies `changes` to `current`, refusing unknown keys and values out of bounds. */
export function modifyAttributes(
  kind: 'load balancer' | 'target group',
  current: Record<string, string>,
  changes: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }>,
): Record<string, string> {
  const defaults = kind === 'load balancer' ? LOAD_BALANCER_DEFAULTS : TARGET_GROUP_DEFAULTS;
  const checks = kind === 'load balancer' ? LB_CHECKS : TG_CHECKS;
  if (changes.length === 0) throw constraint('attributes', [], 'Member must have at least 1 element');
  const next = { ...current };
  for (const { Key: key, Value: value = '' } of changes) {
    if (key === undefined || !(key in defaults)) {
      throw badConfig(`${kind === 'load balancer' ? 'Load balancer' : 'Target group'} attribute key '${key ?? ''}' is not recognized`);
    }
    const check = checks[key];
    if (check && !check[0](value)) throw badConfig(`'${value}' is not a valid value for ${key}: it must be ${check[1]}`);
    next[key] = value;
  }
  return next;
}

export function attributeList(attrs: Readonly<Record<string, string>>, defaults: Readonly<Record<string, string>>): Array<{ Key: string; Value: string }> {
  const merged = { ...defaults, ...attrs };
  return Object.keys(merged)
    .sort()
    .map((Key) => ({ Key, Value: merged[Key]! }));
}
