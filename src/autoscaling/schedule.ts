import { CronError, latestCronFire, parseCron, type CronSpec } from './cron.js';
import { validation } from './errors.js';
import { zonedToUtc } from './zoned-time.js';

/** A scheduled action's Schedule: `at(...)`, `rate(...)` or `cron(...)`. */
export type Schedule =
  | { kind: 'at'; local: { year: number; month: number; day: number; hour: number; minute: number; second: number } }
  | { kind: 'rate'; everyMs: number }
  | { kind: 'cron'; spec: CronSpec };

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Parses a Schedule, throwing a ValidationException that says what is wrong. */
export function parseSchedule(expr: string): Schedule {
  const text = expr.trim();
  const at = AT.exec(text);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
      throw validation(`Schedule ${expr} names a date or time that does not exist.`);
    }
    return { kind: 'at', local: { year, month, day, hour, minute, second } };
  }
  const rate = RATE.exec(text);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1) throw validation(`Schedule ${expr}: the rate value must be a positive integer.`);
    return { kind: 'rate', everyMs: n * (UNIT_MS[(rate[2] ?? '').replace(/s$/, '')] ?? 0) };
  }
  const cron = CRON.exec(text);
  if (cron) {
    try {
      return { kind: 'cron', spec: parseCron(cron[1] ?? '') };
    } catch (err) {
      if (err instanceof CronError) throw validation(`Schedule ${expr}: ${err.message}.`);
      throw err;
    }
  }
  throw validation(
    `Schedule ${expr} is not valid: use at(yyyy-mm-ddThh:mm:ss), rate(<value> minute|minutes|hour|hours|day|days) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>).`,
  );
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
      const t = zonedToUtc(schedule.local, w.timezone);
      return t > lo && t <= hi ? t : undefined;
    }
    case 'rate':
      return latestRateFire(schedule.everyMs, w, lo, hi);
    case 'cron':
      return latestCronFire(schedule.spec, w.timezone, lo, hi);
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
