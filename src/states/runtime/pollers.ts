/**
 * Workers long-polling GetActivityTask, per activity. A poll waits until a task is
 * queued for its activity, its time is up, or the runtime stops; then it looks again.
 */
export class ActivityPollers {
  private readonly waiting = new Map<string, Set<() => void>>();
  private stopped = false;

  /** Resolves on a notify for this activity, after `timeoutMs`, or at shutdown. */
  wait(activityArn: string, timeoutMs: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.waiting.get(activityArn) ?? new Set();
      this.waiting.set(activityArn, set);
      const done = (): void => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiting.delete(activityArn);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      timer.unref();
      set.add(done);
    });
  }

  notify(activityArn: string): void {
    for (const done of [...(this.waiting.get(activityArn) ?? [])]) done();
  }

  /** Releases every poll; later polls return at once. */
  stop(): void {
    this.stopped = true;
    for (const set of [...this.waiting.values()]) for (const done of [...set]) done();
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
