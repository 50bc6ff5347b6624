import type { Clock } from '../../core/clock.js';

/**
 * The fake driver's only source of delay. Injected so that tests can move time by
 * hand (ManualTimers) while `skiff up --driver fake` uses the real event loop.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Opaque to callers; each Timers implementation knows what it handed out. */
export type TimerHandle = { readonly timer: unknown };

export const realTimers: Timers = {
  setTimeout: (fn, ms) => ({ timer: setTimeout(fn, ms) }),
  clearTimeout: (handle) => clearTimeout(handle.timer as ReturnType<typeof setTimeout>),
};

interface Pending {
  handle: TimerHandle;
  due: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock and timers in one, moved only by `advance`: every timer due within the step
 * fires in (due time, creation order), with `now()` reading its due time while it runs.
 * Timers scheduled by a firing timer fire in the same step when they fall within it.
 */
export class ManualTimers implements Timers, Clock {
  private current: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle: TimerHandle = { timer: ++this.seq };
    this.pending.push({ handle, due: this.current + Math.max(0, ms), seq: this.seq, fn });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.handle !== handle);
  }

  /** Timers not yet fired. */
  get size(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing what falls due. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (let next = this.nextDue(end); next; next = this.nextDue(end)) {
      this.pending = this.pending.filter((p) => p !== next);
      this.current = next.due;
      next.fn();
    }
    this.current = end;
  }

  private nextDue(end: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) {
      if (p.due > end) continue;
      if (!best || p.due < best.due || (p.due === best.due && p.seq < best.seq)) best = p;
    }
    return best;
  }
}
