import { atInstant, latestCron, parseSchedule as parseExpression, ScheduleExpressionError, type ParseOptions, type Schedule } from '../core/index.js';
import { validation } from './errors.js';

/** A scheduled action's Schedule: `at(...)`, `rate(...)` or `cron(...)`, as EventBridge Scheduler reads them. */
export type { Schedule };

/** Application Auto Scaling takes `rate(1 minutes)` as readily as `rate(1 minute)`, and nothing under a minute. */
const EXPRESSIONS: ParseOptions = { allowAt: true, lenientUnits: true, minRateMs: 60_000 };

/** A catch-up after a long stop looks back at most this far for a cron's latest fire time. */
const MAX_LOOK_BACK_MS = 400 * 86_400_000;

/** Parses a Schedule, throwing a ValidationException that says what is wrong. */
export function parseSchedule(expr: string): Schedule {
  try {
    return parseExpression(expr, EXPRESSIONS);
  } catch (err) {
    if (err instanceof ScheduleExpressionError) throw validation(`Schedule ${expr} is not valid: ${err.message}.`);
    throw err;
  }
}

export interface ScheduleWindow {
  timezone: string;
  startTime?: number | undefined;
  endTime?: number | undefined;
  /** When the action was put: a rate counts from here unless a StartTime is given. */
  anchor: number;
}

/**
 * The latest instant in (from, to] at which the schedule fires, within
 * [StartTime, EndTime]. Run once per check, so fire times missed while skiff was down
 * collapse into one run (the latest), as a late catch-up should.
 */
export function latestFire(schedule: Schedule, w: ScheduleWindow, from: number, to: number): number | undefined {
  const lo = Math.max(from, (w.startTime ?? -Infinity) - 1);
  const hi = Math.min(to, w.endTime ?? Infinity);
  if (hi <= lo) return undefined;
  switch (schedule.kind) {
    case 'at': {
      const t = atInstant(schedule.local, w.timezone);
      return t > lo && t <= hi ? t : undefined;
    }
    case 'rate':
      return latestRateFire(schedule.everyMs, w, lo, hi);
    case 'cron':
      return latestCron(schedule.cron, Math.max(lo, hi - MAX_LOOK_BACK_MS), hi, w.timezone);
  }
}

/** A rate fires at StartTime + k × interval (k ≥ 0), or, without StartTime, at put time + k × interval (k ≥ 1). */
function latestRateFire(everyMs: number, w: ScheduleWindow, lo: number, hi: number): number | undefined {
  const anchor = w.startTime ?? w.anchor;
  const firstK = w.startTime === undefined ? 1 : 0;
  const k = Math.floor((hi - anchor) / everyMs);
  if (k < firstK) return undefined;
  const t = anchor + k * everyMs;
  return t > lo ? t : undefined;
}
