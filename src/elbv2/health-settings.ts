import { badConfig, constraint, invalid } from './errors.js';
import type { StoredTargetGroup } from './model.js';

/** The health check members of CreateTargetGroup and ModifyTargetGroup. */
export interface HealthCheckInput {
  HealthCheckProtocol?: string;
  HealthCheckPort?: string;
  HealthCheckEnabled?: boolean;
  HealthCheckPath?: string;
  HealthCheckIntervalSeconds?: number;
  HealthCheckTimeoutSeconds?: number;
  HealthyThresholdCount?: number;
  UnhealthyThresholdCount?: number;
  Matcher?: { HttpCode?: string; GrpcCode?: string };
}

export type HealthSettings = Pick<
  StoredTargetGroup,
  | 'HealthCheckProtocol'
  | 'HealthCheckPort'
  | 'HealthCheckEnabled'
  | 'HealthCheckPath'
  | 'HealthCheckIntervalSeconds'
  | 'HealthCheckTimeoutSeconds'
  | 'HealthyThresholdCount'
  | 'UnhealthyThresholdCount'
  | 'Matcher'
>;

/** AWS's defaults for an HTTP target group of an Application Load Balancer. */
export const HEALTH_DEFAULTS: HealthSettings = {
  HealthCheckProtocol: 'HTTP',
  HealthCheckPort: 'traffic-port',
  HealthCheckEnabled: true,
  HealthCheckPath: '/',
  HealthCheckIntervalSeconds: 30,
  HealthCheckTimeoutSeconds: 5,
  HealthyThresholdCount: 5,
  UnhealthyThresholdCount: 2,
  Matcher: { HttpCode: '200' },
};

function bounded(member: string, value: number, lo: number, hi: number): number {
  if (value < lo || value > hi) throw constraint(member, value, `Member must have value between ${lo} and ${hi}`);
  return value;
}

/** `200`, `200,202`, `200-299`: codes from 200 to 499, as ALB allows for HTTP. */
export function checkMatcher(code: string): string {
  const ok = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(code) && code.split(/[,-]/).every((c) => Number(c) >= 200 && Number(c) <= 499);
  if (!ok) throw invalid(`Health check matcher HTTP code '${code}' must be a code, list or range of codes from 200 to 499 (e.g. 200, 200,202 or 200-299)`);
  return code;
}

/** The settings `input` makes of `base`, checked one by one and together. */
export function healthSettings(base: HealthSettings, input: HealthCheckInput): HealthSettings {
  const protocol = input.HealthCheckProtocol ?? base.HealthCheckProtocol;
  if (protocol !== 'HTTP') throw badConfig(`Health check protocol '${protocol}' is not supported by skiff: use HTTP`);
  if (input.HealthCheckEnabled === false) {
    throw badConfig('Health checks cannot be disabled for target groups with target type ip or instance');
  }
  const port = input.HealthCheckPort ?? base.HealthCheckPort;
  if (port !== 'traffic-port' && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw invalid(`Health check port '${port}' must be 'traffic-port' or a port from 1 to 65535`);
  }
  const path = input.HealthCheckPath ?? base.HealthCheckPath;
  if (path.length < 1 || path.length > 1024) throw constraint('healthCheckPath', path, 'Member must have length between 1 and 1024');
  if (!path.startsWith('/')) throw invalid(`Health check path '${path}' must begin with a '/' character`);
  const s: HealthSettings = {
    HealthCheckProtocol: 'HTTP',
    HealthCheckPort: port,
    HealthCheckEnabled: true,
    HealthCheckPath: path,
    HealthCheckIntervalSeconds: bounded('healthCheckIntervalSeconds', input.HealthCheckIntervalSeconds ?? base.HealthCheckIntervalSeconds, 5, 300),
    HealthCheckTimeoutSeconds: bounded('healthCheckTimeoutSeconds', input.HealthCheckTimeoutSeconds ?? base.HealthCheckTimeoutSeconds, 2, 120),
    HealthyThresholdCount: bounded('healthyThresholdCount', input.HealthyThresholdCount ?? base.HealthyThresholdCount, 2, 10),
    UnhealthyThresholdCount: bounded('unhealthyThresholdCount', input.UnhealthyThresholdCount ?? base.UnhealthyThresholdCount, 2, 10),
    Matcher: { HttpCode: checkMatcher(input.Matcher?.HttpCode ?? base.Matcher.HttpCode ?? '200') },
  };
  if (input.Matcher?.GrpcCode !== undefined) throw badConfig('A gRPC matcher needs protocol version GRPC, which skiff does not support');
  if (s.HealthCheckTimeoutSeconds >= s.HealthCheckIntervalSeconds) {
    throw badConfig('Health check timeout must be smaller than the interval');
  }
  return s;
}
