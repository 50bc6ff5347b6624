import type { Timers } from './health-check.js';

interface Task {
  at: number;
  fn: () => void;
  seq: number;
}

/** Timers that run only when a test advances them (health checks, draining, rebinding). */
export class ManualTimers implements Timers {
  private now = 0;
  private seq = 0;
  private readonly tasks = new Map<number, Task>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.tasks.set(id, { at: this.now + ms, fn, seq: id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.tasks.delete(handle);
  }

  /** Runs, in time order, every task due within `ms` (including ones those tasks schedule). */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const next = [...this.tasks.entries()].sort((a, b) => a[1].at - b[1].at || a[1].seq - b[1].seq)[0];
      if (!next || next[1].at > end) break;
      this.tasks.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }

  get pending(): number {
    return this.tasks.size;
  }
}
