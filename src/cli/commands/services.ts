import { DescribeServicesCommand, ListServicesCommand, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import { Command, InvalidArgumentError } from 'commander';
import { action, CliError, printJson, withApiOptions, withClients, type ApiOptions, type Clients } from '../client.js';
import { formatTable, relativeTime } from '../table.js';

/** `skiff services`: each service with its counts, deployment and latest event. */
export function servicesCommand(): Command {
  const cmd = new Command('services').description('list services: desired/running/pending, rollout, latest event');
  return withApiOptions(cmd).action(action(services));
}

/** `skiff scale <service> <n>`: UpdateService with a new desired count. */
export function scaleCommand(): Command {
  const cmd = new Command('scale')
    .description('set a service\'s desired count')
    .argument('<service>', 'service name or ARN')
    .argument('<count>', 'desired count (0 or more)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('the desired count is a whole number, 0 or more');
      return n;
    });
  return withApiOptions(cmd).action(action(scale));
}

async function listAll(c: Clients): Promise<Service[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await c.ecs.send(new ListServicesCommand({ cluster: c.cluster, nextToken, maxResults: 100 }));
    arns.push(...(page.serviceArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const out: Service[] = [];
  for (let i = 0; i < arns.length; i += 10) {
    const page = await c.ecs.send(new DescribeServicesCommand({ cluster: c.cluster, services: arns.slice(i, i + 10) }));
    out.push(...(page.services ?? []));
  }
  return out;
}

async function services(opts: ApiOptions): Promise<void> {
  await withClients(opts, async (c) => {
    const all = await listAll(c);
    if (opts.json) return printJson({ services: all });
    const now = Date.now();
    const rows = all.map((s) => {
      const primary = s.deployments?.find((d) => d.status === 'PRIMARY');
      const event = s.events?.[0];
      return [
        s.serviceName ?? '',
        s.status ?? '',
        `${s.runningCount ?? 0}/${s.desiredCount ?? 0}`,
        String(s.pendingCount ?? 0),
        (s.taskDefinition ?? '').split('/').pop() ?? '',
        `${primary?.rolloutState ?? ''}${(s.deployments?.length ?? 0) > 1 ? ` (+${(s.deployments?.length ?? 1) - 1} old)` : ''}`,
        event ? `${relativeTime(event.createdAt, now)}: ${event.message ?? ''}` : '',
      ];
    });
    process.stdout.write(formatTable(['SERVICE', 'STATUS', 'RUNNING', 'PENDING', 'TASK DEFINITION', 'ROLLOUT', 'LATEST EVENT'], rows));
  });
}

async function scale(service: string, count: number, opts: ApiOptions): Promise<void> {
  await withClients(opts, async (c) => {
    const out = await c.ecs.send(new UpdateServiceCommand({ cluster: c.cluster, service, desiredCount: count }));
    if (!out.service) throw new CliError(`UpdateService returned no service for ${service}`);
    if (opts.json) return printJson({ service: out.service });
    process.stdout.write(`${out.service.serviceName ?? service}: desired count ${out.service.desiredCount ?? count} (running ${out.service.runningCount ?? 0})\n`);
  });
}
