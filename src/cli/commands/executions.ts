import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  type ExecutionListItem,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { Command } from 'commander';
import { action, clientConfig, printJson, resolveEndpoint, withApiOptions, type ApiOptions } from '../client.js';
import { formatTable, relativeTime } from '../table.js';

interface ExecutionsOptions extends ApiOptions {
  stateMachine?: string;
  status?: string;
}

/** `skiff executions`: recent Step Functions executions across state machines. */
export function executionsCommand(): Command {
  const cmd = new Command('executions')
    .description('list Step Functions executions: status, start, duration')
    .option('--state-machine <arn>', 'only this state machine')
    .option('--status <status>', 'RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED');
  return withApiOptions(cmd, false).action(action(executions));
}

/** `skiff execution <arn>`: the path an execution took, as a tree with each state's timing. */
export function executionCommand(): Command {
  const cmd = new Command('execution').description('draw the path an execution took, with timings').argument('<executionArn>', 'execution ARN');
  return withApiOptions(cmd, false).action(action(execution));
}

function sfnClient(opts: ApiOptions): SFNClient {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  return new SFNClient(clientConfig(resolveEndpoint(opts.endpoint)));
}

async function executions(opts: ExecutionsOptions): Promise<void> {
  const sfn = sfnClient(opts);
  try {
    const machines = opts.stateMachine ? [opts.stateMachine] : await listMachines(sfn);
    const items: ExecutionListItem[] = [];
    for (const stateMachineArn of machines) {
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: opts.status as never, nextToken }));
        items.push(...(page.executions ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
    }
    items.sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0));
    if (opts.json) return printJson({ executions: items });
    const now = Date.now();
    const rows = items.map((e) => [
      e.name ?? '',
      (e.stateMachineArn ?? '').split(':').pop() ?? '',
      e.status ?? '',
      relativeTime(e.startDate, now),
      seconds((e.stopDate?.getTime() ?? now) - (e.startDate?.getTime() ?? now)),
      e.executionArn ?? '',
    ]);
    process.stdout.write(formatTable(['NAME', 'STATE MACHINE', 'STATUS', 'STARTED', 'DURATION', 'ARN'], rows));
  } finally {
    sfn.destroy();
  }
}

async function listMachines(sfn: SFNClient): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    arns.push(...(page.stateMachines ?? []).map((m) => m.stateMachineArn ?? ''));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

async function execution(executionArn: string, opts: ApiOptions): Promise<void> {
  const sfn = sfnClient(opts);
  try {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000, includeExecutionData: false }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    if (opts.json) return printJson({ execution: d, events });
    const total = (d.stopDate?.getTime() ?? Date.now()) - (d.startDate?.getTime() ?? Date.now());
    process.stdout.write(`${d.name ?? executionArn}  ${d.status ?? ''}  ${seconds(total)}\n`);
    for (const line of drawPath(events)) process.stdout.write(`${line}\n`);
    if (d.error) process.stdout.write(`error: ${d.error}${d.cause ? `: ${d.cause}` : ''}\n`);
  } finally {
    sfn.destroy();
  }
}

/**
 * Lines of the tree: one per state entered, indented under the Map iteration or Parallel
 * branch it ran in, with how long it took and how it ended.
 */
export function drawPath(events: readonly HistoryEvent[]): string[] {
  const lines: string[] = [];
  const open = new Map<string, { line: number; at: number }>();
  let depth = 0;
  for (const ev of events) {
    const type = ev.type ?? '';
    const at = ev.timestamp?.getTime() ?? 0;
    if (type.endsWith('StateEntered')) {
      const name = ev.stateEnteredEventDetails?.name ?? '?';
      open.set(`${depth}/${name}`, { line: lines.length, at });
      lines.push(`${'   '.repeat(depth)}├─ ${name} (${type.replace('StateEntered', '')})`);
    } else if (type.endsWith('StateExited')) {
      const name = ev.stateExitedEventDetails?.name ?? '?';
      const entry = open.get(`${depth}/${name}`);
      if (entry) {
        lines[entry.line] += `  ${seconds(at - entry.at)}`;
        open.delete(`${depth}/${name}`);
      }
    } else if (type === 'MapIterationStarted' || type === 'ParallelStateStarted') {
      const index = ev.mapIterationStartedEventDetails?.index;
      if (type === 'MapIterationStarted') lines.push(`${'   '.repeat(depth + 1)}iteration ${String(index ?? '?')}`);
      depth += 1 + (type === 'MapIterationStarted' ? 1 : 0);
    } else if (/^MapIteration(Succeeded|Failed|Aborted)$/.test(type)) depth = Math.max(0, depth - 2);
    else if (/^ParallelState(Succeeded|Failed|Aborted)$/.test(type)) depth = Math.max(0, depth - 1);
    else if (/(TaskFailed|ActivityFailed|ExecutionFailed|TaskTimedOut|ActivityTimedOut)$/.test(type)) {
      const last = lines.length - 1;
      if (last >= 0) lines[last] += `  ✗ ${type}`;
    }
  }
  return lines;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
