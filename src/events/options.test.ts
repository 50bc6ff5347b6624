import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/index.js';
import { DEFAULT_EVENTS_OPTIONS, eventsOptionsFrom, MIN_SCHEDULE_RATE_ENV } from './options.js';

describe('eventsOptionsFrom', () => {
  it("keeps AWS's minute without a flag or variable", () => {
    expect(eventsOptionsFrom({}, {})).toBe(DEFAULT_EVENTS_OPTIONS);
  });

  it('takes the flag over the environment, and ticks often enough for the rate', () => {
    const env = { [MIN_SCHEDULE_RATE_ENV]: '30s' };
    expect(eventsOptionsFrom({}, env)).toMatchObject({ minScheduleRateMs: 30_000, tickMs: 1_000 });
    expect(eventsOptionsFrom({ minScheduleRate: '2s' }, env)).toMatchObject({ minScheduleRateMs: 2_000, tickMs: 400 });
  });

  it.each(['500ms', '2m', '1h', 'soon'])('refuses %s', (text) => {
    expect(() => eventsOptionsFrom({ minScheduleRate: text }, {})).toThrow(ConfigError);
    expect(() => eventsOptionsFrom({ minScheduleRate: text }, {})).toThrow(/min schedule rate .* from 1s to 1m/);
  });
});
