import type { Logger } from '../../core/index.js';
import type { ContainerDriver } from '../../runtime/index.js';

/** Where container output goes: the CloudWatch Logs store (see src/logs). */
export interface TaskLogSink {
  ensureGroup(name: string): void;
  ensureStream(group: string, stream: string): void;
  append(group: string, stream: string, events: Array<{ timestamp: number; message: string }>): void;
  lastTimestamp(group: string, stream: string): number | undefined;
}

const BATCH_LINES = 500;
const FLUSH_MS = 200;

/**
 * Follows one container's output into its log stream, writing in batches (at most every
 * 200 ms or 500 lines) so the database is not written per line. After a restart it
 * resumes after the last stored event: lines in the same millisecond as that event
 * are taken as already stored.
 */
export function pumpLogs(
  driver: ContainerDriver,
  runtimeId: string,
  sink: TaskLogSink,
  target: { group: string; stream: string },
  logger: Logger,
): Promise<void> {
  sink.ensureGroup(target.group);
  sink.ensureStream(target.group, target.stream);
  const last = sink.lastTimestamp(target.group, target.stream);
  let batch: Array<{ timestamp: number; message: string }> = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    try {
      sink.append(target.group, target.stream, events);
    } catch (err) {
      logger.error('logs: could not store container output', { runtimeId, err });
    }
  };
  const run = async (): Promise<void> => {
    const since = last === undefined ? undefined : new Date(last);
    for await (const line of driver.logs(runtimeId, { follow: true, since })) {
      const timestamp = line.timestamp.getTime();
      if (last !== undefined && timestamp <= last) continue;
      batch.push({ timestamp, message: line.message });
      if (batch.length >= BATCH_LINES) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    }
  };
  return run()
    .catch((err: unknown) => logger.warn('logs: following container output stopped', { runtimeId, err }))
    .finally(flush);
}
