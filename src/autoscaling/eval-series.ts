import type { Comparison } from './eval-types.js';
import type { Datapoint, MetricAggregation, ScaleEvent } from './model.js';

/**
 * The last `n` datapoints when they form an unbroken run ending now: the newest is less
 * than two periods old and no two neighbours are two periods or more apart. A missing
 * datapoint (no data, or skiff was down) breaks the run, as "insufficient data" stops a
 * CloudWatch alarm from firing.
 */
export function recentRun(series: readonly Datapoint[], n: number, now: number, periodMs: number): Datapoint[] | undefined {
  if (n < 1 || series.length < n) return undefined;
  const run = series.slice(-n);
  const gap = 2 * periodMs;
  const newest = run[run.length - 1];
  if (!newest || now - newest.at >= gap) return undefined;
  for (let i = 1; i < run.length; i++) {
    const a = run[i - 1];
    const b = run[i];
    if (!a || !b || b.at - a.at >= gap) return undefined;
  }
  return run;
}

export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '>=':
      return value >= threshold;
    case '>':
      return value > threshold;
    case '<=':
      return value <= threshold;
    case '<':
      return value < threshold;
  }
}

export function aggregate(values: readonly number[], how: MetricAggregation): number {
  if (values.length === 0) return NaN;
  if (how === 'Minimum') return Math.min(...values);
  if (how === 'Maximum') return Math.max(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Appends a datapoint and keeps the newest `keep`. */
export function appendDatapoint(series: readonly Datapoint[], point: Datapoint, keep: number): Datapoint[] {
  return [...series, point].slice(-Math.max(1, keep));
}

/** True while `event` happened less than `cooldownSec` seconds before `now`. */
export function inCooldown(event: ScaleEvent | undefined, cooldownSec: number, now: number): boolean {
  return event !== undefined && now < event.at + cooldownSec * 1000;
}

export function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
