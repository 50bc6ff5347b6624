import { daysInMonth, localTime, type LocalTime } from './zoned-time.js';

/**
 * AWS cron expressions: six fields, `Minutes Hours Day-of-month Month Day-of-week Year`.
 * Supported: `*`, `?` (day fields), numbers, names (JAN–DEC, SUN–SAT), lists, ranges,
 * increments (`0/15`, `*\/5`, `10-50/10`), `L` in day-of-month, `nL` and `n#k` in
 * day-of-week. Not supported (refused with a clear message): `W`, `LW`, `L-n`.
 */
export interface CronSpec {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  months: ReadonlySet<number>;
  years: ReadonlySet<number> | undefined;
  day: (l: LocalTime) => boolean;
}

export class CronError extends Error {
  override name = 'CronError';
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Range {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const R = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dom: { name: 'day-of-month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTHS },
  dow: { name: 'day-of-week', min: 1, max: 7, names: DAYS },
  year: { name: 'year', min: 1970, max: 2199 },
} satisfies Record<string, Range>;

export function parseCron(body: string): CronSpec {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new CronError(`a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  const domAny = dom === '*' || dom === '?';
  const dowAny = dow === '*' || dow === '?';
  if (!domAny && !dowAny) throw new CronError('day-of-month and day-of-week cannot both be specified: use ? in one of them');
  if (dom === '?' && dow === '?') throw new CronError('day-of-month and day-of-week cannot both be ?');
  return {
    minutes: parseField(min, R.minutes),
    hours: parseField(hour, R.hours),
    months: parseField(month, R.month),
    years: year === '*' ? undefined : parseField(year, R.year),
    day: domAny ? (dowAny ? () => true : dayOfWeekMatcher(dow)) : dayOfMonthMatcher(dom),
  };
}

export function cronMatches(spec: CronSpec, l: LocalTime): boolean {
  return dayMatches(spec, l) && spec.hours.has(l.hour) && spec.minutes.has(l.minute);
}

function dayMatches(spec: CronSpec, l: LocalTime): boolean {
  return spec.months.has(l.month) && (spec.years === undefined || spec.years.has(l.year)) && spec.day(l);
}

const MINUTE = 60_000;

/**
 * The latest minute in (from, to] at which the expression fires, looking back at most
 * `maxLookBackMs` (a catch-up after a long stop runs once, for the latest fire time).
 * Walks back through local time, skipping whole days and hours that cannot match; a
 * skip never goes further than the local clock shows since midnight (or the hour) less
 * an hour, so a daylight-saving change cannot make it jump over a match.
 */
export function latestCronFire(spec: CronSpec, timeZone: string, from: number, to: number, maxLookBackMs = 400 * 86_400_000): number | undefined {
  const floor = Math.max(from, to - maxLookBackMs);
  let t = Math.floor(to / MINUTE) * MINUTE;
  while (t > floor) {
    const l = localTime(t, timeZone);
    if (!dayMatches(spec, l)) t -= (l.hour === 0 ? l.minute + 1 : Math.max(1, (l.hour - 1) * 60 + l.minute + 1)) * MINUTE;
    else if (!spec.hours.has(l.hour)) t -= (l.minute + 1) * MINUTE;
    else if (spec.minutes.has(l.minute)) return t;
    else t -= MINUTE;
  }
  return undefined;
}

function parseField(text: string, r: Range): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [rangeText, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronError(`bad increment '${part}' in ${r.name}`);
    let lo: number;
    let hi: number;
    if (rangeText === '*') [lo, hi] = [r.min, r.max];
    else if (rangeText.includes('-')) {
      const [a, b] = rangeText.split('-') as [string, string];
      [lo, hi] = [value(a, r), value(b, r)];
    } else {
      lo = value(rangeText, r);
      hi = stepText === undefined ? lo : r.max;
    }
    if (lo > hi) throw new CronError(`bad range '${rangeText}' in ${r.name}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

function value(text: string, r: Range): number {
  const named = r.names?.indexOf(text.toUpperCase()) ?? -1;
  const v = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(v) || v < r.min || v > r.max) {
    throw new CronError(`'${text}' is not a valid ${r.name} value (${r.min}-${r.max}${r.names ? ` or ${r.names[0]}-${r.names[r.names.length - 1]}` : ''})`);
  }
  return v;
}

function dayOfMonthMatcher(text: string): (l: LocalTime) => boolean {
  if (/W/i.test(text) || /^L-/i.test(text)) throw new CronError(`'${text}' in day-of-month is not supported by skiff (W and L-n)`);
  if (text.toUpperCase() === 'L') return (l) => l.day === daysInMonth(l.year, l.month);
  const days = parseField(text, R.dom);
  return (l) => days.has(l.day);
}

function dayOfWeekMatcher(text: string): (l: LocalTime) => boolean {
  const nth = /^(\w+)#([1-5])$/.exec(text);
  if (nth) {
    const wd = value(nth[1] ?? '', R.dow);
    const k = Number(nth[2]);
    return (l) => l.weekday === wd && Math.ceil(l.day / 7) === k;
  }
  const last = /^(\w+)L$/i.exec(text);
  if (last) {
    const wd = value(last[1] ?? '', R.dow);
    return (l) => l.weekday === wd && l.day + 7 > daysInMonth(l.year, l.month);
  }
  if (text.toUpperCase() === 'L') return (l) => l.weekday === 7;
  const days = parseField(text, R.dow);
  return (l) => days.has(l.weekday);
}
