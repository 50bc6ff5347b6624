import { Cron } from 'croner';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestCron, nextCron, parseCron, type CronSpec } from './cron.js';
import { atInstant, nextOccurrence, parseSchedule, ScheduleExpressionError, type Schedule } from './expression.js';
import { instantsOf, localOf, weekday, type LocalTime } from './zone.js';

const RULES = { allowAt: false, lenientUnits: false, minRateMs: 60_000 };
const SCHEDULER = { allowAt: true, lenientUnits: true, minRateMs: 60_000 };
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next `n` occurrences after `from`, as ISO strings. */
function runs(expr: string, from: string, n = 4, zone = 'UTC', opts = RULES): (string | undefined)[] {
  const schedule = parseSchedule(expr, opts);
  const out: (string | undefined)[] = [];
  let after = Date.parse(from);
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence(schedule, after, zone, Date.parse(from));
    out.push(iso(next));
    if (next === undefined) break;
    after = next;
  }
  return out;
}

// 2026-01-01 is a Thursday.
const T0 = '2026-01-01T00:00:00Z';

describe('cron: the examples of the EventBridge documentation', () => {
  it.each<[string, string, string[]]>([
    ['cron(0 10 * * ? *)', 'every day at 10:00', ['2026-01-01T10:00:00.000Z', '2026-01-02T10:00:00.000Z', '2026-01-03T10:00:00.000Z', '2026-01-04T10:00:00.000Z']],
    ['cron(15 12 * * ? *)', 'every day at 12:15', ['2026-01-01T12:15:00.000Z', '2026-01-02T12:15:00.000Z', '2026-01-03T12:15:00.000Z', '2026-01-04T12:15:00.000Z']],
    ['cron(0 18 ? * MON-FRI *)', '18:00 Monday to Friday', ['2026-01-01T18:00:00.000Z', '2026-01-02T18:00:00.000Z', '2026-01-05T18:00:00.000Z', '2026-01-06T18:00:00.000Z']],
    ['cron(0 8 1 * ? *)', '08:00 on the 1st of each month', ['2026-01-01T08:00:00.000Z', '2026-02-01T08:00:00.000Z', '2026-03-01T08:00:00.000Z', '2026-04-01T08:00:00.000Z']],
    ['cron(0/15 * * * ? *)', 'every 15 minutes', ['2026-01-01T00:15:00.000Z', '2026-01-01T00:30:00.000Z', '2026-01-01T00:45:00.000Z', '2026-01-01T01:00:00.000Z']],
    ['cron(1/10 * * * ? *)', 'every tenth minute from the first', ['2026-01-01T00:01:00.000Z', '2026-01-01T00:11:00.000Z', '2026-01-01T00:21:00.000Z', '2026-01-01T00:31:00.000Z']],
    ['cron(0/10 * ? * MON-FRI *)', 'every 10 minutes Monday to Friday', ['2026-01-01T00:10:00.000Z', '2026-01-01T00:20:00.000Z', '2026-01-01T00:30:00.000Z', '2026-01-01T00:40:00.000Z']],
    ['cron(0/5 8-17 ? * MON-FRI *)', 'every 5 minutes 08:00-17:55 weekdays', ['2026-01-01T08:00:00.000Z', '2026-01-01T08:05:00.000Z', '2026-01-01T08:10:00.000Z', '2026-01-01T08:15:00.000Z']],
    ['cron(0/30 20-2 ? * MON-FRI *)', 'every 30 minutes 20:00-02:30 (hours wrap)', ['2026-01-01T00:30:00.000Z', '2026-01-01T01:00:00.000Z', '2026-01-01T01:30:00.000Z', '2026-01-01T02:00:00.000Z']],
    ['cron(0 9 ? * 3#2 *)', 'the second Tuesday (3#2) at 09:00', ['2026-01-13T09:00:00.000Z', '2026-02-10T09:00:00.000Z', '2026-03-10T09:00:00.000Z', '2026-04-14T09:00:00.000Z']],
    ['cron(0 9 3W * ? *)', 'the weekday nearest the 3rd', ['2026-01-02T09:00:00.000Z', '2026-02-03T09:00:00.000Z', '2026-03-03T09:00:00.000Z', '2026-04-03T09:00:00.000Z']],
    ['cron(0 9 L * ? *)', 'the last day of the month', ['2026-01-31T09:00:00.000Z', '2026-02-28T09:00:00.000Z', '2026-03-31T09:00:00.000Z', '2026-04-30T09:00:00.000Z']],
    ['cron(0 9 LW * ? *)', 'the last weekday of the month', ['2026-01-30T09:00:00.000Z', '2026-02-27T09:00:00.000Z', '2026-03-31T09:00:00.000Z', '2026-04-30T09:00:00.000Z']],
    ['cron(0 9 ? * 6L *)', 'the last Friday of the month', ['2026-01-30T09:00:00.000Z', '2026-02-27T09:00:00.000Z', '2026-03-27T09:00:00.000Z', '2026-04-24T09:00:00.000Z']],
    ['cron(0 9 ? * L *)', 'L alone in day-of-week is Saturday', ['2026-01-03T09:00:00.000Z', '2026-01-10T09:00:00.000Z', '2026-01-17T09:00:00.000Z', '2026-01-24T09:00:00.000Z']],
    ['cron(0 9 ? * 1 *)', '1 is Sunday', ['2026-01-04T09:00:00.000Z', '2026-01-11T09:00:00.000Z', '2026-01-18T09:00:00.000Z', '2026-01-25T09:00:00.000Z']],
    ['cron(0 0 1 JAN,JUL ? 2027-2028)', 'years and month names', ['2027-01-01T00:00:00.000Z', '2027-07-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z', '2028-07-01T00:00:00.000Z']],
    ['cron(0 0 29 2 ? *)', '29 February only in leap years', ['2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z', '2036-02-29T00:00:00.000Z', '2040-02-29T00:00:00.000Z']],
    ['cron(0 12 ? * FRI-MON *)', 'day-of-week ranges wrap', ['2026-01-02T12:00:00.000Z', '2026-01-03T12:00:00.000Z', '2026-01-04T12:00:00.000Z', '2026-01-05T12:00:00.000Z']],
  ])('%s: %s', (expr, _meaning, expected) => {
    expect(runs(expr, T0)).toEqual(expected);
  });

  it('ends after the last year named, and never matches a date that does not exist', () => {
    expect(runs('cron(0 0 1 1 ? 2026)', '2026-06-01T00:00:00Z', 1)).toEqual([undefined]);
    expect(runs('cron(0 0 30 2 ? *)', T0, 1)).toEqual([undefined]);
  });

  it.each([
    'cron(0 10 * * * *)',
    'cron(0 10 ? * ? *)',
    'cron(0 10 * *)',
    'cron(0 10 * * ?)',
    'cron(0 10 1 * MON *)',
    'cron(0 25 * * ? *)',
    'cron(0 0 L-2 * ? *)',
    'cron(60 10 * * ? *)',
    'cron(0 24 * * ? *)',
    'cron(0 0 32 * ? *)',
    'cron(0 0 ? * 8 *)',
    'cron(0 0 ? 13 MON *)',
    'cron(0 0 ? * 3#1,6#3 *)',
    'cron(0 0 * * ? 1969)',
    'cron(0/0 * * * ? *)',
    'cron(x * * * ? *)',
    'rate(1 minutes)',
    'rate(5 minute)',
    'rate(0 minutes)',
    'rate(5 seconds)',
    'rate(2 weeks)',
    'at(2026-01-01T00:00:00)',
    'every 5 minutes',
  ])('refuses %s for a rule', (expr) => {
    expect(() => parseSchedule(expr, RULES)).toThrow(ScheduleExpressionError);
  });
});

describe('rate', () => {
  it('counts from its anchor and keeps its phase', () => {
    const s = parseSchedule('rate(5 minutes)', RULES);
    const anchor = Date.parse('2026-01-01T00:00:30Z');
    expect(iso(nextOccurrence(s, anchor, 'UTC', anchor))).toBe('2026-01-01T00:05:30.000Z');
    expect(iso(nextOccurrence(s, Date.parse('2026-01-01T01:02:00Z'), 'UTC', anchor))).toBe('2026-01-01T01:05:30.000Z');
    expect(iso(nextOccurrence(s, anchor - 1, 'UTC', anchor))).toBe('2026-01-01T00:00:30.000Z');
  });

  it('takes singular and plural units strictly for rules, leniently for Scheduler', () => {
    expect(parseSchedule('rate(1 hour)', RULES)).toEqual({ kind: 'rate', everyMs: 3_600_000 });
    expect(parseSchedule('rate(2 days)', RULES)).toEqual({ kind: 'rate', everyMs: 172_800_000 });
    expect(parseSchedule('rate(1 hours)', SCHEDULER)).toEqual({ kind: 'rate', everyMs: 3_600_000 });
  });

  it('admits seconds down to the configured minimum rate only', () => {
    const fast = { ...RULES, minRateMs: 5_000 };
    expect(parseSchedule('rate(5 seconds)', fast)).toEqual({ kind: 'rate', everyMs: 5_000 });
    expect(() => parseSchedule('rate(1 second)', fast)).toThrow(/faster than the minimum of 5 s/);
  });
});

describe('time zones and daylight saving (America/New_York, 2026)', () => {
  const zone = 'America/New_York';

  it('reads cron on the zone wall clock', () => {
    expect(runs('cron(0 9 * * ? *)', T0, 2, zone)).toEqual(['2026-01-01T14:00:00.000Z', '2026-01-02T14:00:00.000Z']);
  });

  it('skips a time in the spring-forward gap (8 March 02:30 does not exist)', () => {
    expect(runs('cron(30 2 * * ? *)', '2026-03-07T12:00:00Z', 2, zone)).toEqual(['2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
  });

  it('runs a repeated time once when clocks fall back (1 November 01:30 happens twice)', () => {
    expect(runs('cron(30 1 * * ? *)', '2026-11-01T04:00:00Z', 2, zone)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
    expect(runs('cron(0/30 * * * ? *)', '2026-11-01T05:10:00Z', 4, zone)).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T07:30:00.000Z',
      '2026-11-01T08:00:00.000Z',
    ]);
  });

  it('fires at() once, at its wall time in the zone; a gap time as if clocks had not moved', () => {
    expect(runs('at(2026-07-04T12:00:00)', T0, 2, zone, SCHEDULER)).toEqual(['2026-07-04T16:00:00.000Z', undefined]);
    expect(runs('at(2026-03-08T02:30:00)', T0, 1, zone, SCHEDULER)).toEqual(['2026-03-08T07:30:00.000Z']);
    expect(() => parseSchedule('at(2026-02-30T00:00:00)', SCHEDULER)).toThrow(/does not exist/);
  });
});

describe('cron agrees with croner where their semantics meet (UTC, no L/W/#)', () => {
  const num = (min: number, max: number): fc.Arbitrary<string> => fc.integer({ min, max }).map(String);
  const field = (min: number, max: number): fc.Arbitrary<string> =>
    fc.oneof(
      fc.constant('*'),
      num(min, max),
      fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.integer({ min: 2, max: Math.min(15, max - min) }).map((s) => `*/${s}`),
      fc.uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 4 }).map((xs) => xs.join(',')),
    );
  const expr = fc
    .record({ m: field(0, 59), h: field(0, 23), dom: field(1, 28), mon: field(1, 12), dow: field(1, 7), domSide: fc.boolean() })
    .map((f) => ({ ...f, dom: f.domSide ? f.dom : '?', dow: f.domSide ? '?' : f.dow }));

  it('gives the same next five runs', () => {
    fc.assert(
      fc.property(expr, fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }), (f, start) => {
        const aws = `${f.m} ${f.h} ${f.dom} ${f.mon} ${f.dow} *`;
        const mine = parseSchedule(`cron(${aws})`, RULES) as Extract<Schedule, { kind: 'cron' }>;
        const theirs = new Cron(`0 ${f.m} ${f.h} ${f.dom === '?' ? '*' : f.dom} ${f.mon} ${f.dow === '?' ? '*' : f.dow}`, {
          timezone: 'UTC',
          alternativeWeekdays: true,
          domAndDow: true,
          paused: true,
        });
        const from = start + 30_000;
        const expected = theirs.nextRuns(5, new Date(from)).map((d) => d.toISOString());
        const got: string[] = [];
        let after = from;
        for (let i = 0; i < 5; i++) {
          const next = nextOccurrence(mine, after, 'UTC', from);
          if (next === undefined) break;
          got.push(new Date(next).toISOString());
          after = next;
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

const MIN = 60_000;

/** Whether the cron names the wall time `l` (day fields, hour and minute). */
function names(spec: CronSpec, l: LocalTime): boolean {
  return (
    spec.years.has(l.year) && spec.months.has(l.month) && spec.dayMatches(l.year, l.month, l.day) && spec.hours.includes(l.hour) && spec.minutes.includes(l.minute)
  );
}

describe('wall clock and instants', () => {
  it('maps wall-clock times to instants and back in any zone (property)', () => {
    const zones = ['UTC', 'Europe/Paris', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const t = Math.floor(ms / 1000) * 1000;
        const l = localOf(t, zone);
        const back = atInstant(l, zone);
        // in a fall-back hour the earlier of the two instants is chosen
        expect(back).toBeLessThanOrEqual(t);
        expect(localOf(back, zone)).toEqual(l);
      }),
    );
  });

  it('numbers weekdays as AWS cron does, 1 = Sunday', () => {
    expect(weekday(2026, 1, 4)).toBe(1);
    expect(weekday(2026, 1, 3)).toBe(7);
  });
});

describe('the latest cron time in a window', () => {
  it('finds what a minute-by-minute scan finds, across daylight saving changes (property)', () => {
    const exprs = ['30 2 * * ? *', '0 0-3 ? * SUN *', '*/7 1,2,3 * * ? *', '59 23 L * ? *', '0 12 ? * 1#2 *', '15 0 1 3,10,11 ? *', '0 9 LW * ? *'];
    const zones = ['UTC', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago'];
    fc.assert(
      fc.property(
        fc.constantFrom(...exprs),
        fc.constantFrom(...zones),
        fc.oneof(
          fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }),
          // near the 2026 daylight saving changes of those zones
          fc.tuple(
            fc.constantFrom('2026-03-08T07:00Z', '2026-11-01T06:00Z', '2026-03-29T01:00Z', '2026-10-25T01:00Z', '2026-04-04T15:00Z', '2026-04-05T03:00Z', '2026-09-06T04:00Z'),
            fc.integer({ min: -3 * 1440, max: 3 * 1440 }),
          ).map(([at, m]) => Date.parse(at) + m * MIN),
        ),
        fc.integer({ min: 1, max: 4 * 1440 }),
        (expr, zone, to, minutes) => {
          const spec = parseCron(expr);
          const from = to - minutes * MIN;
          let expected: number | undefined;
          for (let t = Math.floor(to / MIN) * MIN; t > from; t -= MIN) {
            // a repeated wall time counts at its first occurrence only
            const l = localOf(t, zone);
            if (names(spec, l) && instantsOf(l, zone)[0] === t) {
              expected = t;
              break;
            }
          }
          expect(latestCron(spec, from, to, zone)).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is the last of the times nextCron walks to (property)', () => {
    const exprs = ['0/15 * * * ? *', '0 9 3W * ? *', '0 0 29 2 ? *', '30 1 * * ? *', '0/30 20-2 ? * MON-FRI *'];
    fc.assert(
      fc.property(fc.constantFrom(...exprs), fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.integer({ min: 1, max: 7 * 1440 }), (expr, from, minutes) => {
        const spec = parseCron(expr);
        const to = from + minutes * MIN;
        let last: number | undefined;
        for (let t = nextCron(spec, from, 'America/New_York'); t !== undefined && t <= to; t = nextCron(spec, t, 'America/New_York')) last = t;
        expect(latestCron(spec, from, to, 'America/New_York')).toBe(last);
      }),
      { numRuns: 100 },
    );
  });
});
