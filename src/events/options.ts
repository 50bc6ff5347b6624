import { ConfigError } from '../core/index.js';
import { DEFAULT_BACKOFF, type BackoffSettings } from './delivery/dispatcher.js';

/** Tunables of the event bus and schedulers; defaults are AWS's. */
export interface EventsOptions {
  /**
   * Shortest schedule rate accepted, ms. AWS's is one minute; lower values (for tests)
   * also admit `rate(N seconds)`. `skiff up --min-schedule-rate 5s`, env SKIFF_MIN_SCHEDULE_RATE.
   */
  readonly minScheduleRateMs: number;
  /**
   * How late a recurring run may be and still fire (after a restart or a stall), ms.
   * Older missed runs are skipped, never fired in a burst. AWS invokes with 60 s precision.
   */
  readonly missedRunGraceMs: number;
  /** Retry backoff of deliveries. */
  readonly backoff: BackoffSettings;
  /** How often the schedule loops look for due rules and schedules, ms. */
  readonly tickMs: number;
}

export const DEFAULT_EVENTS_OPTIONS: EventsOptions = {
  minScheduleRateMs: 60_000,
  missedRunGraceMs: 60_000,
  backoff: DEFAULT_BACKOFF,
  tickMs: 1_000,
};

export const MIN_SCHEDULE_RATE_ENV = 'SKIFF_MIN_SCHEDULE_RATE';

/** `500ms`, `5s`, `2m`, `1h` → ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new ConfigError(`a duration looks like 500ms, 5s, 2m or 1h, got '${text}'`);
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return n * unit;
}

/**
 * The options of `skiff up`: `--min-schedule-rate` (flag wins) or SKIFF_MIN_SCHEDULE_RATE.
 * A minimum rate of at least a second, at most AWS's minute, is accepted.
 */
export function eventsOptionsFrom(flags: { minScheduleRate?: string | undefined }, env: NodeJS.ProcessEnv = process.env): EventsOptions {
  const text = flags.minScheduleRate ?? env[MIN_SCHEDULE_RATE_ENV];
  if (text === undefined || text === '') return DEFAULT_EVENTS_OPTIONS;
  const ms = parseDuration(text);
  if (ms < 1_000 || ms > 60_000) throw new ConfigError(`min schedule rate must be from 1s to 1m, got ${text}`);
  return { ...DEFAULT_EVENTS_OPTIONS, minScheduleRateMs: ms, tickMs: Math.min(DEFAULT_EVENTS_OPTIONS.tickMs, Math.max(100, Math.floor(ms / 5))) };
}
