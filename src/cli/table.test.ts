import { describe, expect, it } from 'vitest';
import { formatTable, relativeTime } from './table.js';

describe('formatTable', () => {
  it('aligns columns to the widest cell with a two-space gap and no trailing spaces', () => {
    const text = formatTable(
      ['TASK', 'STATUS', 'PORTS'],
      [
        ['0123456789ab', 'RUNNING', '127.0.0.1:49153->80/tcp'],
        ['fedcba987654', 'PROVISIONING', ''],
      ],
    );
    expect(text).toBe(
      'TASK          STATUS        PORTS\n' + //
        '0123456789ab  RUNNING       127.0.0.1:49153->80/tcp\n' +
        'fedcba987654  PROVISIONING\n',
    );
  });

  it('prints only the header when there are no rows, and treats missing cells as empty', () => {
    expect(formatTable(['A', 'B'], [])).toBe('A  B\n');
    expect(formatTable(['A', 'B', 'C'], [['xx']])).toBe('A   B  C\nxx\n');
  });
});

describe('relativeTime', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  it('uses the largest whole unit', () => {
    expect(relativeTime(new Date(now - 12_000), now)).toBe('12s ago');
    expect(relativeTime(new Date(now - 59_999), now)).toBe('59s ago');
    expect(relativeTime(new Date(now - 60_000), now)).toBe('1m ago');
    expect(relativeTime(new Date(now - 3 * 3_600_000 - 5), now)).toBe('3h ago');
    expect(relativeTime(new Date(now - 2 * 86_400_000), now)).toBe('2d ago');
  });

  it('says 0s ago for now or a clock slightly ahead, and - for no time', () => {
    expect(relativeTime(new Date(now), now)).toBe('0s ago');
    expect(relativeTime(new Date(now + 500), now)).toBe('0s ago');
    expect(relativeTime(undefined, now)).toBe('-');
  });
});
