/**
 * Watching Docker's event stream for managed containers. The stream is a long-lived HTTP
 * response of JSON lines; it ends when the engine stops or restarts, so the watcher
 * reconnects with backoff until it is stopped. Events that happened while disconnected
 * are lost (a restarted engine has no history of the containers it stopped), so after a
 * reconnect every managed container is reported once and reconcilers re-read them all.
 */
import type Dockerode from 'dockerode';
import { MANAGED_LABEL } from '../contract.js';
import type { Logger } from '../../core/logger.js';
import { jsonLines, sleep } from './util.js';

/** Container actions that change what `inspect` answers (health changes are matched apart). */
const STATE_ACTIONS = new Set(['start', 'die', 'oom', 'destroy']);

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;

interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string };
  id?: string;
  /** Unix seconds. */
  time?: number;
}

/** The container id of an event that changes a container's state, else undefined. */
export function changedContainer(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as DockerEvent;
  if (e.Type !== undefined && e.Type !== 'container') return undefined;
  const action = e.Action ?? '';
  // health changes arrive as "health_status: healthy" / "health_status: unhealthy"
  if (!STATE_ACTIONS.has(action) && !action.startsWith('health_status')) return undefined;
  return e.Actor?.ID ?? e.id;
}

export class EventWatcher {
  private stopped = false;
  private readonly abort = new AbortController();
  private stream: NodeJS.ReadableStream | undefined;
  private lastEventSeconds: number | undefined;
  readonly done: Promise<void>;

  constructor(
    private readonly docker: Dockerode,
    private readonly onChange: (id: string) => void,
    private readonly logger: Logger,
    /** Told of each `oom` event before the change it makes is reported. */
    private readonly onOom: (id: string) => void = () => undefined,
  ) {
    this.done = this.run();
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    // the abort signal ends a request dockerode made; ending the stream too does not
    // depend on how the stream came to be
    (this.stream as { destroy?: () => void } | undefined)?.destroy?.();
  }

  private async run(): Promise<void> {
    let backoff = MIN_BACKOFF_MS;
    let healthy = true; // warn once per outage, not on every retry
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const stream = await this.docker.getEvents({
          filters: { type: ['container'], label: [`${MANAGED_LABEL}=true`] },
          // replays what Docker still remembers of the gap (nothing, if the engine restarted)
          since: this.lastEventSeconds,
          abortSignal: this.abort.signal,
        });
        this.stream = stream;
        if (this.stopped) break;
        // any connection but the first follows a gap in what we saw
        if (attempt > 0) await this.reportAll();
        [backoff, healthy] = [MIN_BACKOFF_MS, true];
        await this.consume(stream);
        if (!this.stopped) this.logger.warn('Docker event stream ended; reconnecting');
      } catch (err) {
        if (this.stopped) break;
        if (healthy) this.logger.warn('Docker event stream failed; reconnecting until it answers', { err });
        healthy = false;
      }
      await sleep(backoff, this.abort.signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  private async consume(stream: NodeJS.ReadableStream): Promise<void> {
    for await (const event of jsonLines(stream)) {
      const time = (event as DockerEvent).time;
      if (typeof time === 'number') this.lastEventSeconds = time;
      const id = changedContainer(event);
      if (id === undefined || this.stopped) continue;
      if ((event as DockerEvent).Action === 'oom') this.onOom(id);
      this.emit(id);
    }
  }

  /** After a gap in the stream: every managed container may have changed. */
  private async reportAll(): Promise<void> {
    const all = await this.docker.listContainers({ all: true, filters: { label: [`${MANAGED_LABEL}=true`] } });
    for (const c of all) if (!this.stopped) this.emit(c.Id);
  }

  private emit(id: string): void {
    try {
      this.onChange(id);
    } catch (err) {
      // a throwing listener must not kill the watch loop
      this.logger.error('container watch listener threw', { err, id });
    }
  }
}
