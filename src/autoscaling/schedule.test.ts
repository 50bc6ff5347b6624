import { describe, expect, it } from 'vitest';
import { AwsError } from '../core/index.js';
import { latestFire, parseSchedule, type ScheduleWindow } from './schedule.js';

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
    'rate(30 seconds)',
    'cron(0 10 * * ?)',
    'cron(0 10 1 * MON *)',
    'cron(0 10 * * * *)',
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

  it('reads names, ranges, lists, increments, L, W and # in cron', () => {
    // weekdays at 08:00: Saturday 2026-01-03 is skipped, Friday 2026-01-02 fires
    expect(fire('cron(0 8 ? * MON-FRI *)', '2026-01-02T09:00:00Z', '2026-01-04T09:00:00Z')).toBeUndefined();
    expect(fire('cron(0 8 ? * MON-FRI *)', '2026-01-01T09:00:00Z', '2026-01-04T09:00:00Z')).toBe('2026-01-02T08:00:00.000Z');
    expect(fire('cron(0/20 10 * * ? *)', '2026-01-01T10:00:00Z', '2026-01-01T10:59:00Z')).toBe('2026-01-01T10:40:00.000Z');
    expect(fire('cron(0 0 L * ? *)', '2026-02-01T00:00:00Z', '2026-03-05T00:00:00Z')).toBe('2026-02-28T00:00:00.000Z');
    expect(fire('cron(0 0 ? * 2#1 *)', '2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z')).toBe('2026-01-05T00:00:00.000Z');
    expect(fire('cron(0 0 ? * 6L *)', '2026-01-01T00:00:00Z', '2026-02-05T00:00:00Z')).toBe('2026-01-30T00:00:00.000Z');
    expect(fire('cron(0 0 1 JAN,JUL ? 2027)', '2026-01-01T00:00:00Z', '2027-12-31T00:00:00Z')).toBe('2027-07-01T00:00:00.000Z');
    // Sunday 2026-02-15: the nearest weekday is Monday the 16th
    expect(fire('cron(0 10 15W * ? *)', '2026-02-01T00:00:00Z', '2026-02-20T00:00:00Z')).toBe('2026-02-16T10:00:00.000Z');
  });

  it('keeps to [StartTime, EndTime]', () => {
    const w = { ...utc, startTime: Date.parse('2026-01-03T00:00:00Z'), endTime: Date.parse('2026-01-04T00:00:00Z') };
    expect(fire('cron(0 12 * * ? *)', '2026-01-01T00:00:00Z', '2026-01-02T23:00:00Z', w)).toBeUndefined();
    expect(fire('cron(0 12 * * ? *)', '2026-01-01T00:00:00Z', '2026-01-10T00:00:00Z', w)).toBe('2026-01-03T12:00:00.000Z');
  });
});
