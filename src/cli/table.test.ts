import { describe, expect, it } from 'vitest';
import { formatBytes, formatFields, formatTable, isoTime, relativeTime, truncate } from './table.js';

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

describe('formatFields', () => {
  it('aligns values after the longest key and leaves out unset fields', () => {
    const text = formatFields([
      ['Name', 'nightly'],
      ['Description', undefined],
      ['Timezone', 'Europe/Paris'],
      ['Role', ''],
    ]);
    expect(text).toBe('Name:      nightly\nTimezone:  Europe/Paris\n');
  });

  it('indents every line, and prints nothing when nothing is set', () => {
    expect(formatFields([['Arn', 'arn:x']], '  ')).toBe('  Arn:  arn:x\n');
    expect(formatFields([['Arn', undefined]])).toBe('');
  });
});

describe('formatBytes', () => {
  it('prints bytes exactly below 1 KiB, then one decimal in the largest unit', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
    expect(formatBytes(3 * 1024 ** 3 + 1)).toBe('3.0 GiB');
  });

  it('moves to the next unit rather than print 1024.0 of one', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.0 MiB');
  });
});

describe('isoTime and truncate', () => {
  it('prints UTC to the second, and - for no time', () => {
    expect(isoTime(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678)))).toBe('2025-01-02T03:04:05Z');
    expect(isoTime(undefined)).toBe('-');
  });

  it('cuts long text to the limit, ending in an ellipsis', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdefg', 6)).toBe('abcde…');
    expect(truncate('abcdefg', 6)).toHaveLength(6);
  });
});
