import { spawnSync } from 'node:child_process';
import {
  CreateServiceCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  ListServicesCommand,
  ListTasksCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { awsCliAsync } from '../helpers/aws-cli.js';
import { SKIFF_BIN } from '../helpers/skiff-process.js';
import { useSkiff } from '../helpers/use-skiff.js';
import { NETWORK, describe1, register } from '../helpers/tasks.js';

const env = useSkiff();

const server = { name: 'web', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] };

async function service(name: string): Promise<Service> {
  const out = await env.ecs.send(new DescribeServicesCommand({ services: [name] }));
  const s = out.services?.[0];
  if (!s) throw new Error(`no service ${name}`);
  return s;
}

async function until(name: string, cond: (s: Service) => boolean, seconds = 90): Promise<Service> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const s = await service(name);
    if (cond(s)) return s;
    if (Date.now() > deadline) throw new Error(`service ${name} did not get there: ${JSON.stringify(s, null, 1)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('ECS services on real Docker', () => {
  it('keeps the desired count, reaches a steady state, and services-stable returns', async () => {
    const td = await register(env.ecs, [server]);
    const created = await env.ecs.send(
      new CreateServiceCommand({ serviceName: 'keeper', taskDefinition: td, desiredCount: 2, launchType: 'FARGATE', networkConfiguration: NETWORK }),
    );
    expect(created.service).toMatchObject({ serviceName: 'keeper', status: 'ACTIVE', desiredCount: 2 });
    expect(created.service?.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' });
    const wait = await awsCliAsync(env.skiff.endpoint, ['ecs', 'wait', 'services-stable', '--services', 'keeper']);
    expect(wait.status, wait.stderr).toBe(0);
    const stable = await service('keeper');
    expect(stable).toMatchObject({ runningCount: 2, pendingCount: 0 });
    expect(stable.deployments).toHaveLength(1);
    expect(stable.deployments?.[0]?.rolloutState).toBe('COMPLETED');
    expect(stable.events?.[0]?.message).toBe('(service keeper) has reached a steady state.');
    expect(stable.events?.some((e) => /\(service keeper\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\./.test(e.message ?? ''))).toBe(true);

    const tasks = await env.ecs.send(new ListTasksCommand({ serviceName: 'keeper' }));
    expect(tasks.taskArns).toHaveLength(2);
    const t = await describe1(env.ecs, tasks.taskArns?.[0] ?? '');
    expect(t.group).toBe('service:keeper');
    expect(t.startedBy).toBe(stable.deployments?.[0]?.id);

    // a task killed behind the scheduler's back is replaced
    const id = t.taskArn?.split('/').pop() ?? '';
    spawnSync('docker', ['kill', `skiff-${id}-web`]);
    await until('keeper', (s) => (s.events ?? []).filter((e) => /has started 1 tasks/.test(e.message ?? '')).length >= 1 && s.runningCount === 2);
    const listed = await env.ecs.send(new ListServicesCommand({}));
    expect(listed.serviceArns).toContain(stable.serviceArn);
    const cluster = (await env.ecs.send(new DescribeClustersCommand({}))).clusters?.[0];
    expect(cluster?.runningTasksCount).toBeGreaterThanOrEqual(2);
    expect(cluster?.activeServicesCount).toBeGreaterThanOrEqual(1);
    await expect(env.ecs.send(new DeleteClusterCommand({ cluster: 'default' }))).rejects.toMatchObject({ name: 'ClusterContainsServicesException' });
  });

  it('scales with skiff scale and lists with skiff services', async () => {
    const skiffCli = (args: string[]) =>
      spawnSync(process.execPath, [SKIFF_BIN, ...args, '--endpoint', env.skiff.endpoint], { encoding: 'utf8', timeout: 30_000 });
    const scaled = skiffCli(['scale', 'keeper', '3']);
    expect(scaled.status, scaled.stderr).toBe(0);
    expect(scaled.stdout).toMatch(/keeper: desired count 3/);
    await until('keeper', (s) => s.runningCount === 3 && s.deployments?.length === 1);
    const listed = skiffCli(['services']);
    expect(listed.stdout).toMatch(/keeper\s+ACTIVE\s+3\/3/);
    const bad = skiffCli(['scale', 'nope', '1']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/ServiceNotFoundException/);
  });

  it('rolls out a new task definition, minimumHealthyPercent 100 keeping capacity', async () => {
    const td1 = await register(env.ecs, [server]);
    await env.ecs.send(new CreateServiceCommand({ serviceName: 'roller', taskDefinition: td1, desiredCount: 2, networkConfiguration: NETWORK }));
    await until('roller', (s) => s.deployments?.length === 1 && s.runningCount === 2 && s.deployments[0]?.rolloutState === 'COMPLETED');
    const td2 = await register(env.ecs, [{ ...server, environment: [{ name: 'V', value: '2' }] }]);
    await env.ecs.send(new UpdateServiceCommand({ service: 'roller', taskDefinition: td2 }));
    let minRunning = Infinity;
    const done = await until('roller', (s) => {
      minRunning = Math.min(minRunning, s.runningCount ?? 0);
      return s.deployments?.length === 1 && s.deployments[0]?.taskDefinition === td2 && s.deployments[0]?.rolloutState === 'COMPLETED' && s.runningCount === 2;
    });
    expect(minRunning).toBeGreaterThanOrEqual(2);
    expect(done.taskDefinition).toBe(td2);
  });

  it('trips the circuit breaker on crashing tasks and rolls back', async () => {
    const good = await register(env.ecs, [server]);
    await env.ecs.send(
      new CreateServiceCommand({
        serviceName: 'breaker',
        taskDefinition: good,
        desiredCount: 1,
        networkConfiguration: NETWORK,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 },
      }),
    );
    await until('breaker', (s) => s.deployments?.[0]?.rolloutState === 'COMPLETED');
    const bad = await register(env.ecs, [{ name: 'web', command: ['sh', '-c', 'exit 1'] }]);
    await env.ecs.send(new UpdateServiceCommand({ service: 'breaker', taskDefinition: bad }));
    const rolledBack = await until(
      'breaker',
      (s) => s.taskDefinition === good && s.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED',
      240,
    );
    expect(rolledBack.events?.some((e) => /deployment failed: tasks failed to start/.test(e.message ?? ''))).toBe(true);
    expect(rolledBack.events?.some((e) => /rolling back to deployment/.test(e.message ?? ''))).toBe(true);
  });

  it('keeps a task under scale-in protection when the service scales in (AWS CLI v2)', async () => {
    const cli = async (...args: string[]): Promise<Record<string, unknown>> => {
      const r = await awsCliAsync(env.skiff.endpoint, args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return (r.json ?? {}) as Record<string, unknown>;
    };
    const td = await register(env.ecs, [server]);
    await env.ecs.send(new CreateServiceCommand({ serviceName: 'guarded', taskDefinition: td, desiredCount: 2, networkConfiguration: NETWORK }));
    await until('guarded', (s) => s.runningCount === 2 && s.deployments?.length === 1);
    const arns = (await env.ecs.send(new ListTasksCommand({ serviceName: 'guarded' }))).taskArns ?? [];
    expect(arns).toHaveLength(2);
    const keep = arns[0]!;
    const set = await cli('ecs', 'update-task-protection', '--cluster', 'default', '--tasks', keep, '--protection-enabled', '--expires-in-minutes', '30');
    const protectedTasks = set['protectedTasks'] as Array<{ taskArn: string; protectionEnabled: boolean; expirationDate: string }>;
    expect(protectedTasks).toEqual([expect.objectContaining({ taskArn: keep, protectionEnabled: true })]);
    expect(new Date(protectedTasks[0]!.expirationDate).getTime() - Date.now()).toBeGreaterThan(25 * 60_000);
    const got = await cli('ecs', 'get-task-protection', '--cluster', 'default', '--tasks', ...arns);
    expect((got['protectedTasks'] as Array<{ protectionEnabled: boolean }>).map((p) => p.protectionEnabled).sort()).toEqual([false, true]);
    // the other one protects itself from inside, through ECS_AGENT_URI, for a moment
    const other = arns[1]!;
    const env1 = spawnSync('docker', ['inspect', '--format', '{{json .Config.Env}}', `skiff-${other.split('/').pop() ?? ''}-web`], { encoding: 'utf8' });
    const agentUri = (JSON.parse(env1.stdout) as string[]).find((e) => e.startsWith('ECS_AGENT_URI='))?.slice('ECS_AGENT_URI='.length) ?? '';
    expect(agentUri).toMatch(/^http:\/\/[\d.]+:\d+\/api\//);
    const put = await fetch(`${agentUri}/task-protection/v1/state`, { method: 'PUT', body: JSON.stringify({ ProtectionEnabled: true, ExpiresInMinutes: 1 }) });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { protection: { ProtectionEnabled: boolean; TaskArn: string } }).protection).toMatchObject({ ProtectionEnabled: true, TaskArn: other });
    const bad = await fetch(`${agentUri}/task-protection/v1/state`, { method: 'PUT', body: JSON.stringify({ ProtectionEnabled: true, ExpiresInMinutes: 5000 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { Code: string } }).error.Code).toBe('InvalidParameterException');
    const off = await fetch(`${agentUri}/task-protection/v1/state`, { method: 'PUT', body: JSON.stringify({ ProtectionEnabled: false }) });
    expect(((await off.json()) as { protection: { ProtectionEnabled: boolean } }).protection.ProtectionEnabled).toBe(false);
    // scale in to 1: the unprotected task goes, whichever is newer
    await env.ecs.send(new UpdateServiceCommand({ service: 'guarded', desiredCount: 1 }));
    await until('guarded', (s) => s.runningCount === 1);
    expect((await env.ecs.send(new ListTasksCommand({ serviceName: 'guarded' }))).taskArns).toEqual([keep]);
    // and to 0: the protected one stays until its protection is taken off
    await env.ecs.send(new UpdateServiceCommand({ service: 'guarded', desiredCount: 0 }));
    await new Promise((r) => setTimeout(r, 2500));
    expect((await env.ecs.send(new ListTasksCommand({ serviceName: 'guarded' }))).taskArns).toEqual([keep]);
    await cli('ecs', 'update-task-protection', '--cluster', 'default', '--tasks', keep, '--no-protection-enabled');
    await until('guarded', (s) => s.runningCount === 0);
    // a standalone task cannot be protected
    const standalone = (await env.ecs.send(new (await import('@aws-sdk/client-ecs')).RunTaskCommand({ taskDefinition: td, networkConfiguration: NETWORK }))).tasks?.[0]?.taskArn ?? '';
    const refused = await cli('ecs', 'update-task-protection', '--cluster', 'default', '--tasks', standalone, '--protection-enabled');
    expect(refused['failures']).toEqual([expect.objectContaining({ arn: standalone, reason: 'TASK_NOT_VALID' })]);
    await cli('ecs', 'stop-task', '--task', standalone);
  });

  it('deletes: DRAINING, tasks stopped, then INACTIVE', async () => {
    const td = await register(env.ecs, [server]);
    await env.ecs.send(new CreateServiceCommand({ serviceName: 'doomed', taskDefinition: td, desiredCount: 1, networkConfiguration: NETWORK }));
    await until('doomed', (s) => s.runningCount === 1);
    await expect(env.ecs.send(new DeleteServiceCommand({ service: 'doomed' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const deleted = await env.ecs.send(new DeleteServiceCommand({ service: 'doomed', force: true }));
    expect(deleted.service?.status).toBe('DRAINING');
    await until('doomed', (s) => s.status === 'INACTIVE');
    const missing = await env.ecs.send(new UpdateServiceCommand({ service: 'doomed', desiredCount: 1 })).catch((e: Error) => e);
    expect((missing as Error).name).toBe('ServiceNotFoundException');
  });
});
