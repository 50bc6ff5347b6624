import type { Task } from '@aws-sdk/client-ecs';
import { Command } from 'commander';
import { action, printJson, withApiOptions, withClients, type ApiOptions } from '../client.js';
import { formatTable, relativeTime } from '../table.js';
import { describeTasks, essentialExitCodes, familyRevision, listTaskArns, shortId, TaskDefinitionCache } from '../tasks.js';

interface PsOptions extends ApiOptions {
  all?: boolean;
}

export function psCommand(): Command {
  const cmd = new Command('ps')
    .description('list tasks: status, health, ports, exit codes')
    .option('-a, --all', 'include stopped tasks');
  return withApiOptions(cmd).action(action(ps));
}

/** `127.0.0.1:49153->80/tcp` for each published port of the task's containers. */
export function portsOf(task: Task): string {
  const bindings = (task.containers ?? []).flatMap((c) => c.networkBindings ?? []);
  return bindings.map((b) => `${b.bindIP ?? '0.0.0.0'}:${b.hostPort ?? '?'}->${b.containerPort ?? '?'}/${b.protocol ?? 'tcp'}`).join(', ');
}

async function ps(opts: PsOptions): Promise<void> {
  await withClients(opts, async (c) => {
    const arns = await listTaskArns(c, opts.all ? ['RUNNING', 'STOPPED'] : ['RUNNING']);
    const tasks = (await describeTasks(c, arns)).sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    if (opts.json) {
      printJson({ tasks });
      return;
    }
    const tds = new TaskDefinitionCache(c);
    const now = Date.now();
    const rows = await Promise.all(
      tasks.map(async (t) => [
        shortId(t.taskArn ?? ''),
        familyRevision(t.taskDefinitionArn),
        t.lastStatus ?? '-',
        t.healthStatus ?? '-',
        relativeTime(t.createdAt, now),
        portsOf(t),
        await exitColumn(t, tds),
      ]),
    );
    process.stdout.write(formatTable(['TASK', 'FAMILY:REV', 'STATUS', 'HEALTH', 'CREATED', 'PORTS', 'EXIT'], rows));
  });
}

/** The essential containers' exit codes, for stopped tasks only (a running task has none yet). */
async function exitColumn(task: Task, tds: TaskDefinitionCache): Promise<string> {
  if (task.lastStatus !== 'STOPPED' || !task.taskDefinitionArn) return '';
  const codes = essentialExitCodes(task, await tds.get(task.taskDefinitionArn));
  return codes.map((code) => (code === undefined ? '-' : String(code))).join(',');
}
