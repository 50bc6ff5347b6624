import { describe, expect, it } from 'vitest';
import { parseSince } from './since.js';

const now = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('parseSince', () => {
  it('reads durations back from now', () => {
    expect(parseSince('10m', now)).toBe(now - 600_000);
    expect(parseSince('30s', now)).toBe(now - 30_000);
    expect(parseSince('2h', now)).toBe(now - 7_200_000);
    expect(parseSince('1d', now)).toBe(now - 86_400_000);
    expect(parseSince('1h30m', now)).toBe(now - 5_400_000);
    expect(parseSince('250ms', now)).toBe(now - 250);
    expect(parseSince(' 5m ', now)).toBe(now - 300_000);
  });

  it('never goes before the epoch', () => {
    expect(parseSince('100000d', 1000)).toBe(0);
  });

  it('reads absolute ISO 8601 times', () => {
    expect(parseSince('2025-01-01T12:00:00Z', now)).toBe(Date.UTC(2025, 0, 1, 12));
    expect(parseSince('2025-01-01', now)).toBe(Date.UTC(2025, 0, 1));
  });

  it('refuses anything else, saying what it accepts', () => {
    for (const bad of ['', '10', 'm', '10x', '-5m', 'yesterday', '10m ago', '2025-13-45']) {
      expect(() => parseSince(bad, now), bad).toThrow(/neither a duration .* nor an ISO 8601 time/);
    }
  });
});
