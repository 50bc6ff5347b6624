const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

/**
 * The start time (epoch ms) `--since` names: a duration back from `now` (`30s`, `10m`,
 * `1h30m`, `2d`), as `docker logs --since` and `aws logs tail --since` take, or an
 * absolute ISO 8601 time (`2025-01-01T12:00:00Z`). Throws with what to write instead.
 */
export function parseSince(text: string, now: number): number {
  const value = text.trim();
  if (DURATION.test(value)) {
    let ms = 0;
    for (const m of value.matchAll(PART)) ms += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    return Math.max(0, now - ms);
  }
  // only things that look like dates: Date.parse alone would accept "1" or "march"
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return at;
  }
  throw new Error(`'${text}' is neither a duration (30s, 10m, 1h30m, 2d) nor an ISO 8601 time (2025-01-01T12:00:00Z)`);
}
