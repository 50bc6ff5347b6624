import { StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { Command } from 'commander';
import { action, CliError, printJson, withApiOptions, withClients, type ApiOptions } from '../client.js';
import { resolveTaskRefs, taskIdOf } from '../tasks.js';

interface StopOptions extends ApiOptions {
  reason?: string;
}

export function stopCommand(): Command {
  const cmd = new Command('stop')
    .description('stop tasks by ARN, id or id prefix')
    .argument('<task...>', 'task ARN, 32-hex id, or a unique prefix of at least 6 characters of one')
    .option('--reason <text>', 'the stoppedReason to record (at most 255 characters)');
  return withApiOptions(cmd).action(action(stop));
}

async function stop(refs: string[], opts: StopOptions): Promise<void> {
  await withClients(opts, async (c) => {
    // resolve every reference before stopping any, so one typo stops nothing
    const resolved = await resolveTaskRefs(c, refs);
    const stopped: Task[] = [];
    for (const task of resolved) {
      const out = await c.ecs.send(new StopTaskCommand({ cluster: c.cluster, task, reason: opts.reason }));
      if (!out.task) throw new CliError(`StopTask returned no task for ${task}`);
      stopped.push(out.task);
      if (!opts.json) process.stdout.write(`${taskIdOf(out.task.taskArn ?? task)}\n`);
    }
    if (opts.json) printJson({ tasks: stopped });
  });
}
