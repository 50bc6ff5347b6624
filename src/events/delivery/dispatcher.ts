import { createHash } from 'node:crypto';
import type { Clock, Logger } from '../../core/index.js';
import type { DeliveryQueue } from '../store/queue.js';
import type { InvokeResult } from './invoke.js';
import type { DeadLetter, Delivery, ExhaustedRetryCondition } from './model.js';

export interface BackoffSettings {
  /** Delay before the first retry, ms. */
  readonly baseMs: number;
  /** Longest delay between attempts, ms. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 1_000, capMs: 300_000 };

export interface DispatcherDeps {
  readonly queue: DeliveryQueue;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly invoke: (d: Delivery) => Promise<InvokeResult>;
  readonly backoff?: BackoffSettings | undefined;
  /** Deliveries attempted at once. */
  readonly concurrency?: number | undefined;
  /** Longest sleep between looks at the queue, ms. */
  readonly idleMs?: number | undefined;
}

/**
 * Delay before retry `n` (1-based): exponential, capped, with "equal jitter" drawn
 * from a hash of the delivery id so a given delivery always waits the same.
 */
export function backoffDelay(settings: BackoffSettings, deliveryId: string, n: number): number {
  const full = Math.min(settings.capMs, settings.baseMs * 2 ** Math.min(n - 1, 30));
  const half = Math.floor(full / 2);
  const h = createHash('sha256').update(`${deliveryId}:${n}`).digest().readUInt32BE(0);
  return half + (h % (full - half + 1));
}

/**
 * Takes due deliveries from the durable queue and attempts them: a success removes the
 * row, a failure records the attempt and reschedules it with backoff, and a delivery
 * out of retries or past its age limit moves to the dead-letter list. Nothing leaves
 * the queue otherwise, so a crash at any point means another attempt, not a loss.
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly backoff: BackoffSettings;
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(private readonly deps: DispatcherDeps) {
    this.backoff = deps.backoff ?? DEFAULT_BACKOFF;
    this.concurrency = deps.concurrency ?? 8;
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Looks at the queue now (new deliveries were written). */
  wake(): void {
    if (this.stopped) return;
    this.arm(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Starts every due delivery there is room for; resolves when those attempts are settled. */
  async runDue(): Promise<number> {
    const started = this.pass();
    await Promise.all(started);
    return started.length;
  }

  private pass(): Promise<void>[] {
    const room = this.concurrency - this.inFlight.size;
    if (room <= 0) return [];
    const now = this.deps.clock.now().getTime();
    const due = this.deps.queue.due(now, room + this.inFlight.size).filter((d) => !this.inFlight.has(d.id)).slice(0, room);
    return due.map((d) => {
      const p = this.attempt(d).finally(() => {
        this.inFlight.delete(d.id);
        if (!this.stopped) this.arm(0);
      });
      this.inFlight.set(d.id, p);
      return p;
    });
  }

  private async attempt(d: Delivery): Promise<void> {
    try {
      const startedAt = this.deps.clock.now().getTime();
      if (startedAt - d.eventTime > d.retry.maximumEventAgeSeconds * 1000) {
        const last = d.lastError ?? { code: 'EventAgeExceeded', message: `the event is older than ${d.retry.maximumEventAgeSeconds} s` };
        this.kill(d, 'MaximumEventAgeInSeconds', last.code, last.message);
        return;
      }
      this.settle(d, await this.deps.invoke(d));
    } catch (err) {
      // the row stays queued: it will be attempted again (at least once, never lost)
      this.deps.logger.error('events: could not record a delivery attempt', { id: d.id, err });
    }
  }

  private settle(d: Delivery, result: InvokeResult): void {
    if (result.ok) {
      this.deps.queue.complete(d.id);
      return;
    }
    const now = this.deps.clock.now().getTime();
    d.attempts += 1;
    d.lastError = { code: result.code, message: result.message };
    if (d.attempts > d.retry.maximumRetryAttempts) {
      this.kill(d, 'MaximumRetryAttempts', result.code, result.message);
      return;
    }
    d.nextAttemptAt = now + backoffDelay(this.backoff, d.id, d.attempts);
    if (d.nextAttemptAt - d.eventTime > d.retry.maximumEventAgeSeconds * 1000) {
      this.kill(d, 'MaximumEventAgeInSeconds', result.code, result.message);
      return;
    }
    this.deps.queue.reschedule(d);
  }

  private kill(d: Delivery, condition: ExhaustedRetryCondition, code: string, message: string): void {
    const dl: DeadLetter = { ...d, deadAt: this.deps.clock.now().getTime(), errorCode: code, errorMessage: message, exhaustedRetryCondition: condition };
    this.deps.queue.deadLetter(dl);
    this.deps.logger.warn('events: delivery dead-lettered', { source: d.sourceArn, target: d.target.arn, code, message, attempts: d.attempts });
  }

  /** Runs a pass after `ms`, then sleeps until the next row is due (at most idleMs). */
  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      try {
        void Promise.all(this.pass());
      } catch (err) {
        this.deps.logger.error('events: dispatcher pass failed', { err });
      }
      const next = this.deps.queue.nextDueAt();
      const idle = this.deps.idleMs ?? 1_000;
      const wait = next === undefined ? idle : Math.max(10, Math.min(idle, next - this.deps.clock.now().getTime()));
      if (!this.timer && !this.stopped) this.arm(wait);
    }, ms);
    this.timer.unref();
  }
}
