import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { Task, TaskDefinition } from '@aws-sdk/client-ecs';
import { CliError, sleep, type Clients } from './client.js';
import { POLL_MS, shortId, taskIdOf } from './tasks.js';

/** One container's awslogs stream, and how far it has been read. */
export interface LogSource {
  taskId: string;
  container: string;
  group: string;
  stream: string;
  /** The nextForwardToken of the last read; undefined before the first. */
  token?: string;
}

export interface LogLine {
  taskId: string;
  container: string;
  timestamp: number;
  message: string;
}

/**
 * Where a task's containers log: the awslogs convention (the stream is
 * `prefix/container/taskId`) applied to the task definition's logConfiguration.
 */
export function logSources(task: Task, td: TaskDefinition, container?: string): LogSource[] {
  const taskId = taskIdOf(task.taskArn ?? '');
  const defs = td.containerDefinitions ?? [];
  const chosen = container === undefined ? defs : defs.filter((cd) => cd.name === container);
  if (container !== undefined && chosen.length === 0) {
    throw new CliError(`task ${shortId(taskId)} has no container ${container} (it has ${defs.map((cd) => cd.name).join(', ')})`);
  }
  const sources: LogSource[] = [];
  for (const cd of chosen) {
    const log = cd.logConfiguration;
    const group = log?.options?.['awslogs-group'];
    if (log?.logDriver !== 'awslogs' || !group) continue;
    const prefix = log.options?.['awslogs-stream-prefix'];
    const name = cd.name ?? '';
    const stream = prefix ? `${prefix}/${name}/${taskId}` : taskId;
    sources.push({ taskId, container: name, group, stream });
  }
  if (sources.length === 0) {
    const who = container === undefined ? `no container of task ${shortId(taskId)} logs` : `container ${container} of task ${shortId(taskId)} does not log`;
    throw new CliError(`${who} with awslogs: give it a logConfiguration with logDriver awslogs and an awslogs-group`);
  }
  return sources;
}

function isNotFound(err: unknown): boolean {
  return err instanceof Error && err.name === 'ResourceNotFoundException';
}

/**
 * The events of one stream since its last read, all pages: a page's nextForwardToken
 * coming back unchanged is how GetLogEvents says there is nothing further.
 */
export async function readNew(c: Clients, source: LogSource, startTime?: number): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for (;;) {
    const sent = source.token;
    let out;
    try {
      out = await c.logs.send(
        new GetLogEventsCommand({
          logGroupName: source.group,
          logStreamName: source.stream,
          startFromHead: true,
          nextToken: sent,
          startTime: sent === undefined ? startTime : undefined,
        }),
      );
    } catch (err) {
      // a container that has not started (or never will) has no stream yet: nothing to show
      if (isNotFound(err)) return lines;
      throw err;
    }
    for (const e of out.events ?? []) lines.push({ taskId: source.taskId, container: source.container, timestamp: e.timestamp ?? 0, message: e.message ?? '' });
    source.token = out.nextForwardToken ?? sent;
    if (source.token === sent || out.nextForwardToken === undefined) return lines;
  }
}

export type LinePrinter = (lines: LogLine[]) => void;

/**
 * Prints lines as they come: bare for one stream, else prefixed `container | ` (or
 * `task/container | ` across tasks) with the prefixes padded alike; JSON lines for --json.
 */
export function linePrinter(sources: readonly LogSource[], json = false): LinePrinter {
  const manyTasks = new Set(sources.map((s) => s.taskId)).size > 1;
  const labelOf = (l: { taskId: string; container: string }): string => (manyTasks ? `${shortId(l.taskId)}/${l.container}` : l.container);
  const prefixed = sources.length > 1;
  const width = Math.max(0, ...sources.map((s) => labelOf(s).length));
  return (lines) => {
    let text = '';
    for (const line of lines) {
      if (json) {
        text += `${JSON.stringify(line)}\n`;
        continue;
      }
      const message = line.message.endsWith('\n') ? line.message.slice(0, -1) : line.message;
      text += prefixed ? `${labelOf(line).padEnd(width)} | ${message}\n` : `${message}\n`;
    }
    if (text) process.stdout.write(text);
  };
}

/** Reads every source once and prints what is new, interleaved by timestamp; returns how many. */
async function pollOnce(c: Clients, sources: LogSource[], print: LinePrinter, startTime?: number): Promise<number> {
  const batches = await Promise.all(sources.map((s) => readNew(c, s, startTime)));
  // a stable sort keeps each stream's own order for events with equal timestamps
  const lines = batches.flat().sort((a, b) => a.timestamp - b.timestamp);
  print(lines);
  return lines.length;
}

export interface StreamOptions {
  startTime?: number;
  /** Keep polling until this says the task(s) stopped; read once when absent. */
  stopped?: () => Promise<boolean>;
}

/**
 * Prints the sources' events; when following, polls until the tasks have stopped and one
 * more poll after that brought nothing, so lines written just before the stop still show.
 */
export async function streamLogs(c: Clients, sources: LogSource[], print: LinePrinter, opts: StreamOptions = {}): Promise<void> {
  let stoppedSeen = false;
  for (;;) {
    const count = await pollOnce(c, sources, print, opts.startTime);
    if (!opts.stopped || (stoppedSeen && count === 0)) return;
    stoppedSeen = await opts.stopped();
    await sleep(POLL_MS);
  }
}
