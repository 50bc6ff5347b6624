import type { ContainerDefinition, HealthCheck, LogConfiguration } from '@aws-sdk/client-ecs';
import { checkEnum, clientFail } from './fail.js';
import { dropUndefined } from './util.js';

/** Ranges and defaults of the container health check, per the ECS API reference. */
export const HEALTH_CHECK_LIMITS = {
  interval: { min: 5, max: 300, default: 30 },
  timeout: { min: 2, max: 120, default: 5 },
  retries: { min: 1, max: 10, default: 3 },
  startPeriod: { min: 0, max: 300, default: undefined },
} as const;

type HealthField = keyof typeof HEALTH_CHECK_LIMITS;

function checkHealthField(hc: HealthCheck, field: HealthField, container: string): void {
  const value = hc[field];
  if (value === undefined) return;
  const { min, max } = HEALTH_CHECK_LIMITS[field];
  if (value < min) {
    clientFail(`Health check ${field} must be greater than or equal to the minimum allowed value ${min} for container '${container}'`);
  }
  if (value > max) {
    clientFail(`Health check ${field} must be less than or equal to the maximum allowed value ${max} for container '${container}'`);
  }
}

function checkHealthCommand(command: readonly string[] | undefined, container: string): void {
  const [kind, ...rest] = command ?? [];
  const ok = kind === 'NONE' || ((kind === 'CMD' || kind === 'CMD-SHELL') && rest.length > 0 && rest.some((s) => s.trim() !== ''));
  if (!ok) {
    clientFail(
      `Invalid 'healthCheck' setting for container '${container}'. 'command' must start with "CMD" or "CMD-SHELL" followed by the command, ` +
        `e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"] (or be ["NONE"]).`,
    );
  }
}

/** The health check as ECS stores it: ranges checked, interval/timeout/retries defaulted; startPeriod stays absent. */
export function normalizeHealthCheck(hc: HealthCheck | undefined, container: string): HealthCheck | undefined {
  if (!hc) return undefined;
  checkHealthCommand(hc.command, container);
  for (const field of Object.keys(HEALTH_CHECK_LIMITS) as HealthField[]) checkHealthField(hc, field, container);
  return dropUndefined({
    command: [...(hc.command ?? [])],
    interval: hc.interval ?? HEALTH_CHECK_LIMITS.interval.default,
    timeout: hc.timeout ?? HEALTH_CHECK_LIMITS.timeout.default,
    retries: hc.retries ?? HEALTH_CHECK_LIMITS.retries.default,
    startPeriod: hc.startPeriod,
  });
}

export const LOG_DRIVERS = ['json-file', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'awsfirelens'] as const;
export const FARGATE_LOG_DRIVERS = ['awslogs', 'splunk', 'awsfirelens'] as const;

/**
 * Options the awslogs driver takes (Docker's list less the credentials endpoint
 * ECS sets itself); anything else ECS refuses with "Log driver awslogs disallows options".
 */
export const AWSLOGS_OPTIONS: readonly string[] = [
  'awslogs-region',
  'awslogs-endpoint',
  'awslogs-group',
  'awslogs-stream-prefix',
  'awslogs-stream',
  'awslogs-create-group',
  'awslogs-create-stream',
  'awslogs-datetime-format',
  'awslogs-multiline-pattern',
  'awslogs-force-flush-interval-seconds',
  'awslogs-max-buffered-events',
  'awslogs-format',
  'mode',
  'max-buffer-size',
  'tag',
];

function checkAwslogsOptions(options: Record<string, string> | undefined): void {
  const unknown = Object.keys(options ?? {}).filter((k) => !AWSLOGS_OPTIONS.includes(k));
  if (unknown.length > 0) clientFail(`Log driver awslogs disallows options: ${unknown.join(', ')}`);
  const mode = options?.mode;
  checkEnum(mode, ['blocking', 'non-blocking'], 'awslogs option mode');
  if (options?.['max-buffer-size'] !== undefined && mode !== 'non-blocking') {
    clientFail(`Log driver awslogs option 'max-buffer-size' is only valid with "mode": "non-blocking".`);
  }
}

/** The log configuration's driver, options and secret options (launch-type rules: fargate.ts). */
export function checkLogConfiguration(log: LogConfiguration | undefined, container: string): void {
  if (!log) return;
  checkEnum(log.logDriver, LOG_DRIVERS, `logDriver of container '${container}'`);
  if (log.logDriver === 'awslogs') checkAwslogsOptions(log.options);
  for (const s of log.secretOptions ?? []) {
    if (!s.name || !s.valueFrom) {
      clientFail(`Invalid 'logConfiguration.secretOptions' setting for container '${container}'. Each needs a 'name' and a 'valueFrom'.`);
    }
  }
}

/** awsfirelens needs a log router: a container with firelensConfiguration, and the other way round. */
export function checkFirelens(defs: readonly ContainerDefinition[]): void {
  const routers = defs.filter((cd) => cd.firelensConfiguration !== undefined);
  const users = defs.filter((cd) => cd.logConfiguration?.logDriver === 'awsfirelens');
  if (routers.length > 1) {
    clientFail('Only one container in a task definition can have a firelensConfiguration (the log router).');
  }
  if (routers.length > 0 && users.length === 0) {
    clientFail('When a firelensConfiguration object is specified, at least one container has to be configured with the awsfirelens log driver.');
  }
  const first = users[0];
  if (first && routers.length === 0) {
    clientFail(
      `Container '${first.name ?? ''}' uses the awsfirelens log driver, but no container has a firelensConfiguration. Add the log router container (with firelensConfiguration) to the task definition.`,
    );
  }
}
