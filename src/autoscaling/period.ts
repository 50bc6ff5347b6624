/** Parses `skiff up --metrics-period`: `500ms`, `5s`, `1m`, or bare seconds (`60`). From 1 s to 1 h. */
export function parseMetricsPeriod(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) throw new Error(`metrics period must look like 5s, 1m or 500ms, got '${text}'`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000);
  if (ms < 1000 || ms > 3_600_000) throw new Error(`metrics period must be from 1s to 60m, got '${text}'`);
  return ms;
}
