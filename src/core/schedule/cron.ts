import { daysInMonth, instantsOf, localOf, weekday } from './zone.js';

/**
 * AWS cron: `minutes hours day-of-month month day-of-week year`, with `? L W #`.
 *
 * Written here rather than on croner because the semantics differ where it matters:
 * AWS (Quartz-style) accepts `0/10` increments and a bare `L` (Saturday) in the
 * day-of-week field, numbers weekdays 1 = SUN … 7 = SAT, and in a time zone skips a
 * time that falls in a spring-forward gap and runs a repeated time once, where croner
 * runs some of those after the gap or twice.
 */
export interface CronSpec {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  readonly years: ReadonlySet<number>;
  /** Whether a date matches the day-of-month and day-of-week fields together. */
  readonly dayMatches: (year: number, month: number, day: number) => boolean;
}

export class CronError extends Error {
  override name = 'CronError';
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;

/** Parses the six fields inside `cron(...)`. */
export function parseCron(fields: string): CronSpec {
  const parts = fields.trim().split(/\s+/);
  if (parts.length !== 6) throw new CronError(`a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`);
  const [min, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) {
    throw new CronError('use ? in exactly one of day-of-month and day-of-week');
  }
  const dayMatches = dom === '?' ? dowMatcher(dow) : domMatcher(dom);
  return {
    minutes: parseList(min, 0, 59, 'minutes'),
    hours: parseList(hour, 0, 23, 'hours'),
    months: new Set(parseList(month, 1, 12, 'month', MONTHS)),
    years: new Set(parseList(year, FIRST_YEAR, LAST_YEAR, 'year')),
    dayMatches,
  };
}

/** `*`, `a`, `a-b` (wrapping when a > b), `a/step`, `a-b/step`, `* /step`, joined by commas. */
function parseList(text: string, min: number, max: number, field: string, names?: readonly string[]): number[] {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/');
    if (range === undefined || range === '' || item.split('/').length > 2) throw new CronError(`bad ${field} value '${item}'`);
    const step = stepText === undefined ? 1 : parseNumber(stepText, 1, max - min + 1, field);
    const [from, to] = bounds(range, min, max, field, names, stepText !== undefined);
    const span = to >= from ? to - from : max - from + (to - min) + 1;
    for (let i = 0; i <= span; i += step) out.add(from + i > max ? from + i - (max - min + 1) : from + i);
  }
  return [...out].sort((a, b) => a - b);
}

function bounds(range: string, min: number, max: number, field: string, names: readonly string[] | undefined, stepped: boolean): [number, number] {
  if (range === '*') return [min, max];
  const ends = range.split('-');
  if (ends.length > 2) throw new CronError(`bad ${field} range '${range}'`);
  const from = parseValue(ends[0] ?? '', min, max, field, names);
  // `a/step` runs from a to the end of the field
  const to = ends[1] !== undefined ? parseValue(ends[1], min, max, field, names) : stepped ? max : from;
  return [from, to];
}

function parseValue(text: string, min: number, max: number, field: string, names: readonly string[] | undefined): number {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + min;
  return parseNumber(text, min, max, field);
}

function parseNumber(text: string, min: number, max: number, field: string): number {
  if (!/^\d+$/.test(text)) throw new CronError(`bad ${field} value '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw new CronError(`${field} value ${n} is outside ${min}-${max}`);
  return n;
}

type DayTest = (year: number, month: number, day: number) => boolean;

/** Day-of-month: a list, `*`, `L` (last day), `LW` (last weekday), `nW` (weekday nearest the nth). */
function domMatcher(text: string): DayTest {
  if (text === 'L') return (y, m, d) => d === daysInMonth(y, m);
  if (text === 'LW') return (y, m, d) => d === nearestWeekday(y, m, daysInMonth(y, m));
  const w = /^(\d{1,2})W$/.exec(text);
  if (w) {
    const target = parseNumber(w[1] as string, 1, 31, 'day-of-month');
    return (y, m, d) => target <= daysInMonth(y, m) && d === nearestWeekday(y, m, target);
  }
  const days = new Set(parseList(text, 1, 31, 'day-of-month'));
  return (_y, _m, d) => days.has(d);
}

/** The weekday closest to `day` without leaving the month (Saturday → Friday, Sunday → Monday). */
function nearestWeekday(y: number, m: number, day: number): number {
  const wd = weekday(y, m, day);
  const last = daysInMonth(y, m);
  if (wd === 7) return day === 1 ? 3 : day - 1;
  if (wd === 1) return day === last ? day - 2 : day + 1;
  return day;
}

/** Day-of-week: a list, `*`, `L` (Saturday), `nL` (last n-day of the month), `n#k` (kth n-day). */
function dowMatcher(text: string): DayTest {
  if (text === 'L') return (y, m, d) => weekday(y, m, d) === 7;
  const last = /^([A-Za-z]{3}|\d)L$/.exec(text);
  if (last) {
    const dow = parseValue(last[1] as string, 1, 7, 'day-of-week', DAYS);
    return (y, m, d) => weekday(y, m, d) === dow && d + 7 > daysInMonth(y, m);
  }
  const nth = /^([A-Za-z]{3}|\d)#(\d)$/.exec(text);
  if (nth) {
    const dow = parseValue(nth[1] as string, 1, 7, 'day-of-week', DAYS);
    const k = parseNumber(nth[2] as string, 1, 5, 'day-of-week');
    return (y, m, d) => weekday(y, m, d) === dow && Math.ceil(d / 7) === k;
  }
  if (text.includes('#') || /L/i.test(text.replace(/[A-Za-z]{3}/g, ''))) {
    throw new CronError(`bad day-of-week value '${text}': # and L stand alone in the field`);
  }
  const days = new Set(parseList(text, 1, 7, 'day-of-week', DAYS));
  return (y, m, d) => days.has(weekday(y, m, d));
}

/**
 * The first time strictly after `afterMs` that the expression names, read on the wall
 * clock of `zone`; undefined when there is none (past the last year, or never, such as
 * 30 February). Times in a daylight-saving gap are skipped; a repeated time runs once,
 * at its first occurrence.
 */
export function nextCron(spec: CronSpec, afterMs: number, zone: string): number | undefined {
  const start = localOf(afterMs, zone);
  let { year, month, day } = start;
  let first = true;
  while (year <= LAST_YEAR) {
    if (!spec.years.has(year)) {
      [year, month, day, first] = [year + 1, 1, 1, false];
      continue;
    }
    if (!spec.months.has(month)) {
      [year, month, day, first] = month === 12 ? [year + 1, 1, 1, false] : [year, month + 1, 1, false];
      continue;
    }
    if (day <= daysInMonth(year, month) && spec.dayMatches(year, month, day)) {
      const found = firstTimeOfDay(spec, year, month, day, afterMs, zone, first ? start.hour * 60 + start.minute - 60 : -1);
      if (found !== undefined) return found;
    }
    first = false;
    if (day >= daysInMonth(year, month)) [year, month, day] = month === 12 ? [year + 1, 1, 1] : [year, month + 1, 1];
    else day += 1;
  }
  return undefined;
}

function firstTimeOfDay(spec: CronSpec, year: number, month: number, day: number, afterMs: number, zone: string, skipBefore: number): number | undefined {
  for (const hour of spec.hours) {
    for (const minute of spec.minutes) {
      // on the first day, times well before the start cannot be later than it (an hour of slack covers a repeat)
      if (hour * 60 + minute < skipBefore) continue;
      const at = instantsOf({ year, month, day, hour, minute, second: 0 }, zone)[0];
      if (at !== undefined && at > afterMs) return at;
    }
  }
  return undefined;
}

/**
 * The latest time in (afterMs, atOrBeforeMs] that the expression names on the wall clock
 * of `zone`, undefined when there is none: nextCron walked backwards, with the same
 * reading of daylight-saving changes (a time in a gap never runs, a repeated time runs at
 * its first occurrence only). Callers bound the look-back through `afterMs`.
 */
export function latestCron(spec: CronSpec, afterMs: number, atOrBeforeMs: number, zone: string): number | undefined {
  if (atOrBeforeMs <= afterMs) return undefined;
  const end = localOf(atOrBeforeMs, zone);
  const stop = localOf(afterMs, zone);
  // a day before the one afterMs falls on cannot hold a later time (a day of slack for zones that skip one)
  const lastDay = Date.UTC(stop.year, stop.month - 1, stop.day) - 86_400_000;
  let { year, month, day } = end;
  let first = true;
  while (Date.UTC(year, month - 1, day) >= lastDay) {
    if (!spec.years.has(year) || !spec.months.has(month)) {
      // on to the last day of the month before
      [year, month] = month === 1 ? [year - 1, 12] : [year, month - 1];
      [day, first] = [daysInMonth(year, month), false];
      continue;
    }
    if (spec.dayMatches(year, month, day)) {
      const found = lastTimeOfDay(spec, { year, month, day }, atOrBeforeMs, zone, first ? end.hour * 60 + end.minute + 60 : Infinity);
      if (found !== undefined) return found > afterMs ? found : undefined;
    }
    first = false;
    if (day > 1) day -= 1;
    else {
      [year, month] = month === 1 ? [year - 1, 12] : [year, month - 1];
      day = daysInMonth(year, month);
    }
  }
  return undefined;
}

/**
 * The day's latest time at or before `atOrBeforeMs`. Wall times taken at their first
 * occurrence grow with the instant, so the first found walking down is the latest.
 */
function lastTimeOfDay(spec: CronSpec, date: { year: number; month: number; day: number }, atOrBeforeMs: number, zone: string, skipAfter: number): number | undefined {
  for (let h = spec.hours.length - 1; h >= 0; h--) {
    for (let m = spec.minutes.length - 1; m >= 0; m--) {
      const [hour, minute] = [spec.hours[h] as number, spec.minutes[m] as number];
      // on the last day, times well after the end cannot be earlier than it (an hour of slack covers a repeat)
      if (hour * 60 + minute > skipAfter) continue;
      const at = instantsOf({ ...date, hour, minute, second: 0 }, zone)[0];
      if (at !== undefined && at <= atOrBeforeMs) return at;
    }
  }
  return undefined;
}
