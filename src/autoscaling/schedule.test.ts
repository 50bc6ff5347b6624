import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../core/index.js';
import { parseDuration } from '../core/index.js';
import { cronMatches, latestCronFire, parseCron } from './cron.js';
import { latestFire, parseSchedule, type ScheduleWindow } from './schedule.js';
import { localTime, zonedToUtc } from './zoned-time.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const utc: ScheduleWindow = { timezone: 'UTC', anchor: 0 };

function fire(expr: string, from: string | number, to: string | number, w: ScheduleWindow = utc): string | undefined {
  const t = latestFire(parseSchedule(expr), w, typeof from === 'number' ? from : Date.parse(from), typeof to === 'number' ? to : Date.parse(to));
  return t === undefined ? undefined : new Date(t).toISOString();
}

describe('schedule expressions', () => {
  it.each([
    'at(2026-02-30T10:00:00)',
    'at(2026-01-01 10:00:00)',
    'rate(0 minutes)',
    'rate(5 weeks)',
    'cron(0 10 * * ?)',
    'cron(0 10 1 * MON *)',
    'cron(0 25 * * ? *)',
    'cron(0 10 15W * ? *)',
    'cron(0 10 ? * ? *)',
    'every day',
  ])('refuses %s with a ValidationException', (expr) => {
    expect(() => parseSchedule(expr)).toThrow(AwsError);
    try {
      parseSchedule(expr);
    } catch (err) {
      expect((err as AwsError).code).toBe('ValidationException');
    }
  });

  it('fires an at() once, at its wall-clock time in the action time zone', () => {
    expect(fire('at(2026-03-01T09:30:00)', '2026-03-01T09:00:00Z', '2026-03-01T10:00:00Z')).toBe('2026-03-01T09:30:00.000Z');
    expect(fire('at(2026-03-01T09:30:00)', '2026-03-01T09:30:00Z', '2026-03-01T10:00:00Z')).toBeUndefined();
    const tokyo = { ...utc, timezone: 'Asia/Tokyo' };
    expect(fire('at(2026-03-01T09:30:00)', '2026-02-28T00:00:00Z', '2026-03-02T00:00:00Z', tokyo)).toBe('2026-03-01T00:30:00.000Z');
  });

  it('fires a rate every interval from when the action was put, or from StartTime', () => {
    const put = Date.parse('2026-01-01T00:00:00Z');
    const w = { ...utc, anchor: put };
    expect(fire('rate(5 minutes)', put, put + 4 * MIN, w)).toBeUndefined();
    expect(fire('rate(5 minutes)', put, put + 12 * MIN, w)).toBe('2026-01-01T00:10:00.000Z');
    expect(fire('rate(1 hour)', put + HOUR, put + HOUR + MIN, w)).toBeUndefined();
    expect(fire('rate(1 day)', put, put + DAY, { ...w, startTime: put + HOUR })).toBe('2026-01-01T01:00:00.000Z');
  });

  it('fires cron in UTC by default and in the Timezone given, across daylight saving time', () => {
    expect(fire('cron(15 12 * * ? *)', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z')).toBe('2026-01-01T12:15:00.000Z');
    const ny = { ...utc, timezone: 'America/New_York' };
    expect(fire('cron(0 9 * * ? *)', '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z', ny)).toBe('2026-01-05T14:00:00.000Z');
    expect(fire('cron(0 9 * * ? *)', '2026-07-06T00:00:00Z', '2026-07-07T00:00:00Z', ny)).toBe('2026-07-06T13:00:00.000Z');
  });

  it('reads names, ranges, lists, increments, L and # in cron', () => {
    // weekdays at 08:00: Saturday 2026-01-03 is skipped, Friday 2026-01-02 fires
    expect(fire('cron(0 8 ? * MON-FRI *)', '2026-01-02T09:00:00Z', '2026-01-04T09:00:00Z')).toBeUndefined();
    expect(fire('cron(0 8 ? * MON-FRI *)', '2026-01-01T09:00:00Z', '2026-01-04T09:00:00Z')).toBe('2026-01-02T08:00:00.000Z');
    expect(fire('cron(0/20 10 * * ? *)', '2026-01-01T10:00:00Z', '2026-01-01T10:59:00Z')).toBe('2026-01-01T10:40:00.000Z');
    expect(fire('cron(0 0 L * ? *)', '2026-02-01T00:00:00Z', '2026-03-05T00:00:00Z')).toBe('2026-02-28T00:00:00.000Z');
    expect(fire('cron(0 0 ? * 2#1 *)', '2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z')).toBe('2026-01-05T00:00:00.000Z');
    expect(fire('cron(0 0 ? * 6L *)', '2026-01-01T00:00:00Z', '2026-02-05T00:00:00Z')).toBe('2026-01-30T00:00:00.000Z');
    expect(fire('cron(0 0 1 JAN,JUL ? 2027)', '2026-01-01T00:00:00Z', '2027-12-31T00:00:00Z')).toBe('2027-07-01T00:00:00.000Z');
  });

  it('keeps to [StartTime, EndTime]', () => {
    const w = { ...utc, startTime: Date.parse('2026-01-03T00:00:00Z'), endTime: Date.parse('2026-01-04T00:00:00Z') };
    expect(fire('cron(0 12 * * ? *)', '2026-01-01T00:00:00Z', '2026-01-02T23:00:00Z', w)).toBeUndefined();
    expect(fire('cron(0 12 * * ? *)', '2026-01-01T00:00:00Z', '2026-01-10T00:00:00Z', w)).toBe('2026-01-03T12:00:00.000Z');
  });

  it('maps wall-clock times to instants and back in any zone (property)', () => {
    const zones = ['UTC', 'Europe/Paris', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const t = Math.floor(ms / 1000) * 1000;
        const l = localTime(t, zone);
        const back = zonedToUtc(l, zone);
        // in a fall-back hour the earlier of the two instants is chosen
        expect(back).toBeLessThanOrEqual(t);
        expect(localTime(back, zone)).toEqual(l);
      }),
    );
  });
});

describe('the cron search', () => {
  it('finds what a minute-by-minute scan finds, across daylight saving changes (property)', () => {
    const exprs = ['30 2 * * ? *', '0 0-3 ? * SUN *', '*/7 1,2,3 * * ? *', '59 23 L * ? *', '0 12 ? * 1#2 *', '15 0 1 3,10,11 ? *'];
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
            if (cronMatches(spec, localTime(t, zone))) {
              expected = t;
              break;
            }
          }
          expect(latestCronFire(spec, zone, from, to)).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the metrics period option', () => {
  it.each([
    ['5s', 5000],
    ['1m', 60_000],
    ['1500ms', 1500],
    ['60', 60_000],
  ])('reads %s', (text, ms) => expect(parseDuration(text, 'metrics period')).toBe(ms));

  it.each(['0s', '500ms', '2h', 'fast', '-5s'])('refuses %s', (text) => expect(() => parseDuration(text, 'metrics period')).toThrow(/metrics period/));
});
