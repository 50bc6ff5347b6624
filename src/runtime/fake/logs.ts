import type { LogLine } from '../contract.js';

/**
 * One container's output. Readers that follow wait on the buffer rather than polling,
 * so a follower sees each line as soon as it is pushed and ends right after `end()`.
 */
export class LogBuffer {
  private readonly lines: LogLine[] = [];
  private ended = false;
  private waiters: (() => void)[] = [];

  push(line: LogLine): void {
    if (this.ended) return;
    this.lines.push(line);
    this.wake();
  }

  /** No more lines will come (the process exited, never started, or was removed). */
  end(): void {
    this.ended = true;
    this.wake();
  }

  async *read(follow: boolean, since: Date | undefined): AsyncGenerator<LogLine> {
    let next = 0;
    for (;;) {
      while (next < this.lines.length) {
        const line = this.lines[next++];
        if (line && (!since || line.timestamp >= since)) yield line;
      }
      if (!follow || this.ended) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
