/** Column gap: two spaces, as docker ps and kubectl print. */
const GAP = '  ';

/**
 * Left-aligned columns sized to their widest cell; the last column is not padded, so no
 * line ends in spaces. Widths count UTF-16 code units, enough for ids, names and ports.
 */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const lines = all.map((row) =>
    headers
      .map((_, i) => {
        const cell = row[i] ?? '';
        return i === headers.length - 1 ? cell : cell.padEnd(widths[i] ?? 0);
      })
      .join(GAP)
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** How long ago `then` was, in its largest whole unit: "12s ago", "3m ago", "2d ago". */
export function relativeTime(then: Date | undefined, now: number): string {
  if (!then) return '-';
  const ms = Math.max(0, now - then.getTime());
  for (const [unit, size] of UNITS) {
    if (ms >= size || unit === 's') return `${Math.floor(ms / size)}${unit} ago`;
  }
  return '0s ago';
}

/**
 * `Key:  value` lines with the values aligned, each line starting with `indent`; fields
 * whose value is undefined or empty are left out, so optional settings print only when set.
 */
export function formatFields(fields: ReadonlyArray<readonly [string, string | undefined]>, indent = ''): string {
  const present = fields.filter((f): f is readonly [string, string] => f[1] !== undefined && f[1] !== '');
  const width = Math.max(0, ...present.map(([key]) => key.length + 1));
  return present.map(([key, value]) => `${indent}${`${key}:`.padEnd(width)}  ${value}\n`).join('');
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** A size as people read it: exact bytes below 1 KiB, else one decimal in the largest unit. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = 'B';
  for (const next of BYTE_UNITS) {
    if (Number(value.toFixed(1)) < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit}`;
}

/** A UTC time to the second, `2025-01-01T12:00:00Z`; `-` for none. */
export function isoTime(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
}

/** `text` cut to `max` characters, the last one an ellipsis when anything was cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
