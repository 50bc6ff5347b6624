/**
 * A second source for "was it OOM-killed?". Docker 20.10 on cgroup v1 loses the OOMKilled
 * flag when several containers exit at once: measured here, 3 of 16 memory-limited
 * containers OOM-killed together ended with ExitCode 137 and OOMKilled false, although
 * each of them had its `oom` event. The event is processed, then the exit handler
 * overwrites the flag. So for the suspicious case (SIGKILLed, with a memory limit, flag
 * unset) the ledger answers from the `oom` events a watch saw live, else asks Docker's
 * event log, which keeps only the last 256 events (a busy engine rotates it in seconds).
 */
import type Dockerode from 'dockerode';
import { jsonLines } from './util.js';

/** Exit code of a process killed by SIGKILL (128 + 9), which is how the OOM killer kills. */
const SIGKILL_EXIT = 137;
/** A negative answer is final once the exit is this old: the event, if any, came by then. */
const SETTLE_MS = 2_000;

export class OomLedger {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly docker: Dockerode) {}

  /** Docker's OOMKilled flag, corrected from the event log when it may have been lost. */
  async oomKilled(info: Dockerode.ContainerInspectInfo): Promise<boolean> {
    const s = info.State;
    if (s.OOMKilled) return true;
    if (s.Running || s.ExitCode !== SIGKILL_EXIT || !(info.HostConfig.Memory ?? 0)) return false;
    const cached = this.known.get(info.Id);
    if (cached !== undefined) return cached;
    const found = await this.hadOomEvent(info.Id, s.StartedAt).catch(() => false);
    const finished = Date.parse(s.FinishedAt);
    if (found || Date.now() - finished > SETTLE_MS) this.known.set(info.Id, found);
    return found;
  }

  /** An `oom` event seen on a live event stream: the answer for this container is yes. */
  sawOom(id: string): void {
    this.known.set(id, true);
  }

  forget(id: string): void {
    this.known.delete(id);
  }

  private async hadOomEvent(id: string, startedAt: string): Promise<boolean> {
    const since = Math.floor(Date.parse(startedAt) / 1000);
    // with `until` (now, to the millisecond) Docker replays what it kept and closes the stream
    const stream = await this.docker.getEvents({
      since: Number.isNaN(since) ? undefined : since,
      until: Date.now() / 1000,
      filters: { type: ['container'], container: [id], event: ['oom'] },
    });
    for await (const event of jsonLines(stream)) {
      const actor = (event as { Actor?: { ID?: string } }).Actor?.ID;
      if (actor === id) {
        (stream as { destroy?: () => void }).destroy?.();
        return true;
      }
    }
    return false;
  }
}
