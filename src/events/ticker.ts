import type { Logger } from '../core/index.js';

/**
 * Runs `tick` every `intervalMs` and when woken, one run at a time. The loops it drives
 * read their due work from the database on each run (level-triggered), so a missed or
 * extra wake-up changes nothing but latency.
 */
export class Ticker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly tick: () => void,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm(0);
  }

  wake(): void {
    if (this.running) this.arm(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.running) return;
      try {
        this.tick();
      } catch (err) {
        this.logger.error(`${this.name}: tick failed`, { err });
      }
      if (this.running && !this.timer) this.arm(this.intervalMs);
    }, ms);
    this.timer.unref();
  }
}
