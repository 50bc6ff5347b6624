import { Command, InvalidArgumentError } from 'commander';
import { action, withApiOptions, withClients, type ApiOptions } from '../client.js';
import { linePrinter, logSources, streamLogs } from '../log-reader.js';
import { parseSince } from '../since.js';
import { describeTask, resolveTaskRefs, TaskDefinitionCache } from '../tasks.js';

interface LogsOptions extends ApiOptions {
  container?: string;
  follow?: boolean;
  since?: number;
}

export function logsCommand(): Command {
  const cmd = new Command('logs')
    .description("print a task's logs; -f follows until it stops")
    .argument('<task>', 'task ARN, 32-hex id, or a unique prefix of at least 6 characters of one')
    .option('--container <name>', 'only this container')
    .option('-f, --follow', 'keep printing new lines until the task has stopped')
    .option('--since <when>', 'only lines from this long ago (30s, 10m, 1h30m, 2d) or this ISO 8601 time on', sinceArg);
  return withApiOptions(cmd).action(action(logs));
}

function sinceArg(value: string): number {
  try {
    return parseSince(value, Date.now());
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
}

async function logs(ref: string, opts: LogsOptions): Promise<void> {
  await withClients(opts, async (c) => {
    const [arn = ref] = await resolveTaskRefs(c, [ref]);
    const task = await describeTask(c, arn);
    const td = await new TaskDefinitionCache(c).get(task.taskDefinitionArn ?? '');
    const sources = logSources(task, td, opts.container);
    const print = linePrinter(sources, opts.json);
    const stopped = async (): Promise<boolean> => (await describeTask(c, arn)).lastStatus === 'STOPPED';
    await streamLogs(c, sources, print, { startTime: opts.since, stopped: opts.follow ? stopped : undefined });
  });
}
