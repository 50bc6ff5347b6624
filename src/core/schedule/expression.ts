import { CronError, nextCron, parseCron, type CronSpec } from './cron.js';
import { gapInstant, instantsOf, type LocalTime } from './zone.js';

/**
 * Schedule expressions of EventBridge rules (`rate(...)`, `cron(...)`, always UTC) and of
 * EventBridge Scheduler (those plus one-time `at(...)`, in a chosen time zone).
 */
export type Schedule =
  | { readonly kind: 'rate'; readonly everyMs: number }
  | { readonly kind: 'cron'; readonly cron: CronSpec }
  | { readonly kind: 'at'; readonly local: LocalTime };

export class ScheduleExpressionError extends Error {
  override name = 'ScheduleExpressionError';
}

export interface ParseOptions {
  /** Whether `at(...)` is accepted (Scheduler) or not (rules). */
  readonly allowAt: boolean;
  /** Whether `rate(1 minutes)` / `rate(5 minute)` pass (Scheduler is lenient, rules are not). */
  readonly lenientUnits: boolean;
  /**
   * The shortest rate accepted, in ms. AWS's is one minute; a smaller value (skiff's
   * `--min-schedule-rate`) also admits `rate(N seconds)` down to it, for tests.
   */
  readonly minRateMs: number;
}

const UNIT_MS: Record<string, number> = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const RATE = /^rate\(\s*(\d+)\s+([a-z]+?)(s?)\s*\)$/;
const CRON = /^cron\((.*)\)$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;

export function parseSchedule(text: string, opts: ParseOptions): Schedule {
  const expr = text.trim();
  const rate = RATE.exec(expr);
  if (rate) return parseRate(Number(rate[1]), rate[2] as string, rate[3] === 's', opts);
  const cron = CRON.exec(expr);
  if (cron) {
    try {
      return { kind: 'cron', cron: parseCron(cron[1] as string) };
    } catch (err) {
      if (err instanceof CronError) throw new ScheduleExpressionError(err.message);
      throw err;
    }
  }
  const at = AT.exec(expr);
  if (at && opts.allowAt) return { kind: 'at', local: parseAt(at) };
  const kinds = opts.allowAt ? 'at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)' : 'rate(value unit) or cron(fields)';
  throw new ScheduleExpressionError(`expected ${kinds}`);
}

function parseRate(value: number, unit: string, plural: boolean, opts: ParseOptions): Schedule {
  const unitMs = UNIT_MS[unit];
  if (unitMs === undefined) throw new ScheduleExpressionError(`the unit of a rate is minute(s), hour(s) or day(s), got '${unit}${plural ? 's' : ''}'`);
  if (value < 1) throw new ScheduleExpressionError('the value of a rate must be a positive integer');
  if (!opts.lenientUnits && plural !== value > 1) {
    throw new ScheduleExpressionError(`use '${unit}' for a value of 1 and '${unit}s' for more (got rate(${value} ${unit}${plural ? 's' : ''}))`);
  }
  const everyMs = value * unitMs;
  const floor = Math.min(opts.minRateMs, 60_000);
  if (unit === 'second' && opts.minRateMs >= 60_000) throw new ScheduleExpressionError("the unit of a rate is minute(s), hour(s) or day(s), got 'seconds'");
  if (everyMs < floor) throw new ScheduleExpressionError(`the rate is faster than the minimum of ${floor / 1000} s`);
  return { kind: 'rate', everyMs };
}

function parseAt(m: RegExpExecArray): LocalTime {
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new ScheduleExpressionError('at() names a date or time that does not exist');
  }
  return { year, month, day, hour, minute, second };
}

/**
 * The first occurrence strictly after `afterMs`, undefined when there is none.
 * A rate counts from `anchorMs` (occurrences are anchor + k·rate, k ≥ 0); cron and at
 * read the wall clock of `zone`. An `at` time that falls in a daylight-saving gap runs
 * as if the clocks had not moved yet (02:30 in a 02:00→03:00 gap runs at 03:30).
 */
export function nextOccurrence(schedule: Schedule, afterMs: number, zone: string, anchorMs: number): number | undefined {
  switch (schedule.kind) {
    case 'rate': {
      if (afterMs < anchorMs) return anchorMs;
      const k = Math.floor((afterMs - anchorMs) / schedule.everyMs) + 1;
      return anchorMs + k * schedule.everyMs;
    }
    case 'cron':
      return nextCron(schedule.cron, afterMs, zone);
    case 'at': {
      const at = atInstant(schedule.local, zone);
      return at > afterMs ? at : undefined;
    }
  }
}

/** The instant of a one-time schedule (the first one, when the wall time repeats). */
export function atInstant(local: LocalTime, zone: string): number {
  return instantsOf(local, zone)[0] ?? gapInstant(local, zone);
}
