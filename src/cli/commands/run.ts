import { RunTaskCommand, type KeyValuePair, type Task, type TaskOverride } from '@aws-sdk/client-ecs';
import { Command, InvalidArgumentError } from 'commander';
import { action, CliError, printJson, withApiOptions, withClients, type ApiOptions, type Clients } from '../client.js';
import { linePrinter, logSources, streamLogs, type LogSource } from '../log-reader.js';
import { formatTable } from '../table.js';
import { describeTasks, essentialExitCodes, essentialNames, exitCodeOf, shortId, taskIdOf, TaskDefinitionCache, waitStopped } from '../tasks.js';

interface RunOptions extends ApiOptions {
  count?: number;
  env?: string[];
  cmd?: string[];
  container?: string;
  cpu?: string;
  memory?: string;
  wait?: boolean;
  follow?: boolean;
}

/** Fargate insists on a network configuration; skiff gives every task its own namespace anyway. */
const DEFAULT_NETWORK = { awsvpcConfiguration: { subnets: ['subnet-skiff'], assignPublicIp: 'ENABLED' as const } };

export function runCommand(): Command {
  const cmd = new Command('run')
    .description('run a task (Fargate); --wait for its exit code')
    .argument('<family>', 'task definition: family, family:revision or ARN')
    .option('--count <n>', 'how many tasks to start (1 to 10)', parseCount)
    .option('--env <K=V...>', 'set environment variables in the container (repeatable)')
    .option('--cmd <args...>', 'override the command: every argument up to the next `skiff run` option (or `--`)')
    .option('--container <name>', 'the container --env and --cmd apply to (default: the first essential one)')
    .option('--cpu <units>', 'task CPU override, a Fargate size (256, 512, 1024, ...)')
    .option('--memory <MiB>', 'task memory override, a Fargate size (512, 1024, ...)')
    .option('--wait', "wait until the task stops and exit with its essential container's exit code")
    .option('--follow', 'stream its logs until it stops (implies --wait)');
  return withApiOptions(cmd).action(action(run));
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10) throw new InvalidArgumentError('a count is an integer from 1 to 10');
  return n;
}

/**
 * Commander ends a variadic option at the first argument starting with a dash, which would
 * cut `--cmd sh -c 'exit 7'` at `-c`. So before parsing, every argument after `--cmd` up to
 * the next option `skiff run` knows (or a `--`, dropped) is rewritten as `--cmd=<arg>`,
 * which commander collects into the same list whatever the argument looks like.
 */
export function rewriteCmdArgs(argv: readonly string[], run: Command): string[] {
  if (argv[2] !== run.name()) return [...argv];
  const known = new Set<string>(['-h', '--help']);
  for (const o of run.options) for (const flag of [o.long, o.short]) if (flag) known.add(flag);
  const isOption = (arg: string): boolean => known.has(arg) || known.has(arg.split('=')[0] ?? '');
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg !== '--cmd' || i < 3) {
      out.push(arg);
      continue;
    }
    let end = i + 1;
    while (end < argv.length && argv[end] !== '--' && !isOption(argv[end] ?? '')) end++;
    // a bare --cmd with nothing after it is left for commander to report
    out.push(...(end === i + 1 ? ['--cmd'] : argv.slice(i + 1, end).map((w) => `--cmd=${w}`)));
    i = argv[end] === '--' ? end : end - 1;
  }
  return out;
}

export function parseEnv(pairs: readonly string[]): KeyValuePair[] {
  return pairs.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new CliError(`--env takes NAME=value, not '${pair}'`);
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
  });
}

async function overridesFor(tds: TaskDefinitionCache, ref: string, opts: RunOptions): Promise<TaskOverride | undefined> {
  const env = opts.env?.length ? parseEnv(opts.env) : undefined;
  if (!env && !opts.cmd && !opts.cpu && !opts.memory) return undefined;
  let containerOverrides;
  if (env || opts.cmd) {
    let name = opts.container;
    if (name === undefined) {
      name = essentialNames(await tds.get(ref))[0];
      if (name === undefined) throw new CliError(`task definition ${ref} has no essential container to apply --env or --cmd to: name one with --container`);
    }
    containerOverrides = [{ name, environment: env, command: opts.cmd }];
  }
  return { containerOverrides, cpu: opts.cpu, memory: opts.memory };
}

async function run(taskDefinition: string, opts: RunOptions): Promise<void> {
  await withClients(opts, async (c) => {
    const tds = new TaskDefinitionCache(c);
    const overrides = await overridesFor(tds, taskDefinition, opts);
    const out = await c.ecs.send(
      new RunTaskCommand({ cluster: c.cluster, taskDefinition, count: opts.count, launchType: 'FARGATE', networkConfiguration: DEFAULT_NETWORK, overrides }),
    );
    for (const f of out.failures ?? []) process.stderr.write(`skiff: ${f.arn ?? taskDefinition}: ${f.reason ?? 'failed'}${f.detail ? ` (${f.detail})` : ''}\n`);
    const tasks = out.tasks ?? [];
    if (tasks.length === 0) throw new CliError('RunTask started no task');
    if (!opts.wait && !opts.follow) {
      if (opts.json) printJson({ tasks });
      else printStarted(tasks);
      return;
    }
    if (!opts.json) printStarted(tasks);
    const final = opts.follow ? await follow(c, tds, tasks, opts.json === true) : await waitStopped(c, arnsOf(tasks));
    const results = await Promise.all(final.map(async (task) => ({ task, td: await tds.get(task.taskDefinitionArn ?? '') })));
    const exitCode = exitCodeOf(results);
    if (opts.json) printJson({ tasks: final, exitCode });
    else for (const r of results) process.stdout.write(`${describeStop(r.task, essentialExitCodes(r.task, r.td))}\n`);
    process.exitCode = exitCode;
  });
}

function arnsOf(tasks: Task[]): string[] {
  return tasks.map((t) => t.taskArn ?? '');
}

function printStarted(tasks: Task[]): void {
  process.stdout.write(formatTable(['TASK', 'ARN'], tasks.map((t) => [taskIdOf(t.taskArn ?? ''), t.taskArn ?? ''])));
}

/** One line saying how a task ended: `task 0123456789ab stopped: <reason> (exit 7)`. */
export function describeStop(task: Task, codes: Array<number | undefined>): string {
  const reason = task.stoppedReason ?? task.stopCode ?? 'stopped';
  const shown = codes.map((code) => (code === undefined ? '-' : String(code))).join(', ');
  return `task ${shortId(task.taskArn ?? '')} stopped: ${reason} (exit ${shown || '-'})`;
}

/** Streams the tasks' logs until they stop; returns their final descriptions. */
async function follow(c: Clients, tds: TaskDefinitionCache, tasks: Task[], json: boolean): Promise<Task[]> {
  const arns = arnsOf(tasks);
  const sources: LogSource[] = [];
  for (const t of tasks) {
    try {
      sources.push(...logSources(t, await tds.get(t.taskDefinitionArn ?? '')));
    } catch (err) {
      // no awslogs is no reason not to wait: say so, and wait without logs
      if (!(err instanceof CliError)) throw err;
      process.stderr.write(`skiff: ${err.message}\n`);
    }
  }
  let last: Task[] = [];
  const stopped = async (): Promise<boolean> => {
    last = await describeTasks(c, arns);
    return last.length === arns.length && last.every((t) => t.lastStatus === 'STOPPED');
  };
  if (sources.length === 0) return waitStopped(c, arns);
  await streamLogs(c, sources, linePrinter(sources, json), { stopped });
  return last;
}
