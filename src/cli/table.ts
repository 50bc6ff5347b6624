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
