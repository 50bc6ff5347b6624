import type { Clock } from '../../core/index.js';

/** setTimeout's largest delay; longer waits re-arm when it fires. */
const MAX_DELAY = 2_147_483_647;

/**
 * The runtime's armed timers, keyed by execution and timer key. Deadlines are absolute
 * (epoch ms from the injected clock), so a timer re-armed after a restart keeps its
 * deadline, and one whose deadline passed while Skiff was down fires at once.
 */
export class Timers {
  private readonly armed = new Map<string, NodeJS.Timeout>();

  constructor(private readonly clock: Clock) {}

  arm(execution: string, key: string, dueMs: number, fire: () => void): void {
    const id = `${execution}\n${key}`;
    this.disarm(execution, key);
    const schedule = (): void => {
      const delay = Math.max(0, dueMs - this.clock.now().getTime());
      const t = setTimeout(() => {
        if (dueMs > this.clock.now().getTime()) return schedule();
        this.armed.delete(id);
        fire();
      }, Math.min(delay, MAX_DELAY));
      t.unref();
      this.armed.set(id, t);
    };
    schedule();
  }

  disarm(execution: string, key: string): void {
    const id = `${execution}\n${key}`;
    const t = this.armed.get(id);
    if (t) clearTimeout(t);
    this.armed.delete(id);
  }

  clear(): void {
    for (const t of this.armed.values()) clearTimeout(t);
    this.armed.clear();
  }

  get size(): number {
    return this.armed.size;
  }
}
