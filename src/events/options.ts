import { parseDuration } from '../core/index.js';
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

/**
 * The options of `skiff up`: `--min-schedule-rate` (flag wins) or SKIFF_MIN_SCHEDULE_RATE.
 * A minimum rate of at least a second, at most AWS's minute, is accepted.
 */
export function eventsOptionsFrom(flags: { minScheduleRate?: string | undefined }, env: NodeJS.ProcessEnv = process.env): EventsOptions {
  const text = flags.minScheduleRate ?? env[MIN_SCHEDULE_RATE_ENV];
  if (text === undefined || text === '') return DEFAULT_EVENTS_OPTIONS;
  const ms = parseDuration(text, 'min schedule rate', { minMs: 1_000, maxMs: 60_000 });
  return { ...DEFAULT_EVENTS_OPTIONS, minScheduleRateMs: ms, tickMs: Math.min(DEFAULT_EVENTS_OPTIONS.tickMs, Math.max(100, Math.floor(ms / 5))) };
}
