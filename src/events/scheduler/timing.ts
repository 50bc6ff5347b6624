import { createHash } from 'node:crypto';
import { atInstant, nextOccurrence, parseSchedule, ScheduleExpressionError, type Schedule } from '../../core/index.js';
import { invalid } from './errors.js';
import type { StoredSchedule } from './model.js';

/** A Scheduler expression: at(), rate() (singular or plural units) or cron(). */
export function parseScheduleExpression(text: string, minRateMs: number): Schedule {
  try {
    return parseSchedule(text, { allowAt: true, lenientUnits: true, minRateMs });
  } catch (err) {
    if (err instanceof ScheduleExpressionError) throw invalid(`Invalid Schedule Expression ${text}: ${err.message}.`);
    throw err;
  }
}

export function zoneOf(s: StoredSchedule): string {
  return s.ScheduleExpressionTimezone ?? 'UTC';
}

/**
 * When a schedule first runs after being created, updated or enabled at `now`: a
 * one-time schedule at its time even if that has passed (it then fires at once), a
 * rate from its anchor, a cron at its next time from StartDate on. Undefined when
 * disabled or when nothing is left before EndDate.
 */
export function firstRun(s: StoredSchedule, now: number, minRateMs: number): number | undefined {
  if (s.State === 'DISABLED') return undefined;
  const schedule = parseScheduleExpression(s.ScheduleExpression, minRateMs);
  if (schedule.kind === 'at') return atInstant(schedule.local, zoneOf(s));
  return runAfter(s, schedule, Math.max(now, s.StartDate ?? now) - 1);
}

/** The run after one that fired at or before `afterMs`; one-time schedules have none. */
export function nextRun(s: StoredSchedule, afterMs: number, minRateMs: number): number | undefined {
  if (s.State === 'DISABLED') return undefined;
  const schedule = parseScheduleExpression(s.ScheduleExpression, minRateMs);
  if (schedule.kind === 'at') return undefined;
  return runAfter(s, schedule, Math.max(afterMs, (s.StartDate ?? afterMs) - 1));
}

function runAfter(s: StoredSchedule, schedule: Schedule, afterMs: number): number | undefined {
  const next = nextOccurrence(schedule, afterMs, zoneOf(s), s.RateAnchor);
  return next !== undefined && (s.EndDate === undefined || next <= s.EndDate) ? next : undefined;
}

export function isOneTime(s: StoredSchedule): boolean {
  return s.ScheduleExpression.trim().startsWith('at(');
}

/**
 * The delay of a FLEXIBLE schedule's invocation within its window: fixed for a given
 * schedule and run (a hash of both), so it is the same after a restart.
 */
export function flexibleDelay(s: StoredSchedule, dueAt: number): number {
  if (s.FlexibleTimeWindow.Mode !== 'FLEXIBLE') return 0;
  const window = (s.FlexibleTimeWindow.MaximumWindowInMinutes ?? 0) * 60_000;
  if (window <= 0) return 0;
  const h = createHash('sha256').update(`${s.Arn}@${dueAt}`).digest().readUInt32BE(0);
  return h % window;
}
