import path from 'node:path';
import type { LogLevel } from './logger.js';

/** Everything `skiff up` needs, validated once; nothing downstream checks for undefined. */
export interface SkiffConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly region: string;
  readonly account: string;
  readonly logLevel: LogLevel;
  /** Largest request body the edge accepts, in bytes. */
  readonly maxBodyBytes: number;
  /** Which container runtime runs tasks: real Docker, or the scripted fake. */
  readonly driver: DriverName;
  /** How often auto scaling samples metrics (AWS: one minute). */
  readonly metricsPeriodMs: number;
  /** Shortest schedule rate EventBridge accepts (AWS: 1 minute); checked by src/events. */
  readonly minScheduleRate: string | undefined;
  /** Started sandboxes kept ready per set of port mappings (see src/scheduler/tasks/sandbox-pool.ts). */
  readonly sandboxPool: number;
  /** Domains whose subdomains name S3 buckets (virtual-host style), besides S3's defaults; from SKIFF_S3_DOMAINS. */
  readonly s3Domains: readonly string[];
}

export type DriverName = 'docker' | 'fake';
const DRIVERS: readonly DriverName[] = ['docker', 'fake'];

export interface ConfigInput {
  host?: string | undefined;
  port?: string | number | undefined;
  dataDir?: string | undefined;
  region?: string | undefined;
  account?: string | undefined;
  logLevel?: string | undefined;
  driver?: string | undefined;
  metricsPeriod?: string | undefined;
  minScheduleRate?: string | undefined;
  sandboxPool?: string | number | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info'];

/** Flags win over environment variables, which win over defaults. */
export function compileConfig(flags: ConfigInput, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SkiffConfig {
  const port = Number(flags.port ?? env['SKIFF_PORT'] ?? 4750);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`port must be an integer from 0 to 65535, got ${String(flags.port ?? env['SKIFF_PORT'])}`);
  }
  const region = flags.region ?? env['SKIFF_REGION'] ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new ConfigError(`region must look like us-east-1, got ${region}`);
  const account = flags.account ?? env['SKIFF_ACCOUNT'] ?? '000000000000';
  if (!/^\d{12}$/.test(account)) throw new ConfigError(`account must be 12 digits, got ${account}`);
  const logLevel = (flags.logLevel ?? env['SKIFF_LOG_LEVEL'] ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(', ')}`);
  const driver = (flags.driver ?? env['SKIFF_DRIVER'] ?? 'docker') as DriverName;
  if (!DRIVERS.includes(driver)) throw new ConfigError(`driver must be one of ${DRIVERS.join(', ')}, got ${driver}`);
  const poolRaw = flags.sandboxPool ?? env['SKIFF_SANDBOX_POOL'] ?? 2;
  const sandboxPool = Number(poolRaw);
  if (!Number.isInteger(sandboxPool) || sandboxPool < 0 || sandboxPool > 16) {
    throw new ConfigError(`sandbox pool must be an integer from 0 to 16, got ${String(poolRaw)}`);
  }
  const metricsPeriodMs = parseDuration(flags.metricsPeriod ?? env['SKIFF_METRICS_PERIOD'] ?? '60s', 'metrics period');
  return {
    driver,
    metricsPeriodMs,
    minScheduleRate: flags.minScheduleRate ?? env['SKIFF_MIN_SCHEDULE_RATE'],
    sandboxPool,
    s3Domains: (env['SKIFF_S3_DOMAINS'] ?? '').split(',').map((d) => d.trim().toLowerCase()).filter((d) => d !== ''),
    host: flags.host ?? env['SKIFF_HOST'] ?? '127.0.0.1',
    port,
    dataDir: path.resolve(cwd, flags.dataDir ?? env['SKIFF_DATA_DIR'] ?? '.skiff'),
    region,
    account,
    logLevel,
    maxBodyBytes: 10 * 1024 * 1024,
  };
}

export interface DurationRange {
  readonly minMs: number;
  readonly maxMs: number;
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/**
 * `500ms`, `5s`, `2m`, `1h` or plain seconds (decimals allowed) → ms, within `range`
 * (default 1 second to 1 hour); `what` names the setting in the error.
 */
export function parseDuration(text: string, what: string, range: DurationRange = { minMs: 1_000, maxMs: 3_600_000 }): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const n = m ? Number(m[1]) * UNIT_MS[(m[2] ?? 's') as keyof typeof UNIT_MS] : NaN;
  if (!Number.isFinite(n) || n < range.minMs || n > range.maxMs) {
    throw new ConfigError(`${what} must be like 5s, 1m or 1500ms, from ${formatMs(range.minMs)} to ${formatMs(range.maxMs)}; got '${text}'`);
  }
  return n;
}

function formatMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1_000 === 0 ? `${ms / 1_000}s` : `${ms}ms`;
}
