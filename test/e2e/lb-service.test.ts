/**
 * A service behind the load balancer while it changes: a rolling deployment under load
 * loses no request, and a killed task is replaced while the load balancer stops sending
 * to it once its health checks fail.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliAsync } from '../helpers/aws-cli.js';
import { startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';
import { IMAGE } from '../helpers/tasks.js';
import { until } from '../helpers/eventually.js';
import { freePort } from '../helpers/ports.js';

let skiff: SkiffProcess;
let cleanup: () => void;
let port = 0;
let tgArn = '';

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const r = await awsCliAsync(skiff.endpoint, args);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return (r.json ?? {}) as Record<string, unknown>;
}

function get(): Promise<{ status: number; body: string; at: number }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, at: Date.now() }));
    });
    req.on('error', (err) => resolve({ status: 0, body: err.message, at: Date.now() }));
    req.on('timeout', () => req.destroy());
  });
}

function load(): { stop: () => Promise<Array<{ status: number; body: string; at: number }>> } {
  let running = true;
  const results: Array<{ status: number; body: string; at: number }> = [];
  const worker = async (): Promise<void> => {
    while (running) {
      results.push(await get());
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const workers = Array.from({ length: 4 }, worker);
  return { stop: async () => ((running = false), await Promise.all(workers), results) };
}

async function service(): Promise<{ runningCount: number; desiredCount: number; taskDefinition: string; deployments: Array<{ rolloutState: string }> }> {
  const out = await aws('ecs', 'describe-services', '--services', 'web');
  return (out['services'] as Array<never>)[0]!;
}

/** The service's tasks, running and stopped, with their addresses. */
async function serviceTasks(): Promise<Array<{ taskArn: string; lastStatus: string; ip: string | undefined }>> {
  const arns: string[] = [];
  for (const status of ['RUNNING', 'STOPPED']) {
    const listed = await aws('ecs', 'list-tasks', '--service-name', 'web', '--desired-status', status);
    arns.push(...(listed['taskArns'] as string[]));
  }
  if (arns.length === 0) return [];
  const described = await aws('ecs', 'describe-tasks', '--tasks', ...arns);
  return (described['tasks'] as Array<{ taskArn: string; lastStatus: string; attachments: Array<{ details: Array<{ name: string; value: string }> }> }>).map((t) => ({
    taskArn: t.taskArn,
    lastStatus: t.lastStatus,
    ip: t.attachments[0]?.details.find((d) => d.name === 'privateIPv4Address')?.value,
  }));
}

function taskDefinition(version: string): string {
  const script = `mkdir -p /www && echo ${version} > /www/index.html && exec httpd -f -p 8080 -h /www`;
  return JSON.stringify({
    family: 'web', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512',
    containerDefinitions: [{ name: 'web', image: IMAGE, stopTimeout: 2, portMappings: [{ containerPort: 8080 }], command: ['sh', '-c', script] }],
  });
}

beforeAll(async () => {
  const tmp = tempDataDir();
  cleanup = tmp.cleanup;
  skiff = await startSkiff(tmp.dir);
  port = await freePort();
  const lb = await aws('elbv2', 'create-load-balancer', '--name', 'web-alb', '--subnets', 'subnet-1', 'subnet-2');
  const lbArn = (lb['LoadBalancers'] as Array<{ LoadBalancerArn: string }>)[0]!.LoadBalancerArn;
  const tg = await aws('elbv2', 'create-target-group', '--name', 'web-tg', '--protocol', 'HTTP', '--port', '8080', '--vpc-id', 'vpc-1', '--target-type', 'ip',
    '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2', '--healthy-threshold-count', '2', '--unhealthy-threshold-count', '2');
  tgArn = (tg['TargetGroups'] as Array<{ TargetGroupArn: string }>)[0]!.TargetGroupArn;
  await aws('elbv2', 'modify-target-group-attributes', '--target-group-arn', tgArn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=3');
  await aws('elbv2', 'create-listener', '--load-balancer-arn', lbArn, '--protocol', 'HTTP', '--port', String(port), '--default-actions', `Type=forward,TargetGroupArn=${tgArn}`);
  await aws('ecs', 'register-task-definition', '--cli-input-json', taskDefinition('v1'));
  await aws('ecs', 'create-service', '--service-name', 'web', '--task-definition', 'web:1', '--desired-count', '2',
    '--network-configuration', 'awsvpcConfiguration={subnets=[subnet-1]}', '--load-balancers', `targetGroupArn=${tgArn},containerName=web,containerPort=8080`);
  const stable = await awsCliAsync(skiff.endpoint, ['ecs', 'wait', 'services-stable', '--services', 'web']);
  expect(stable.status, stable.stderr).toBe(0);
  // services-stable counts running tasks only: a rollout "under load with zero failures"
  // starts from targets that passed their health checks, as it would on AWS
  await until(async () => {
    const h = await aws('elbv2', 'describe-target-health', '--target-group-arn', tgArn);
    const states = (h['TargetHealthDescriptions'] as Array<{ TargetHealth: { State: string } }>).map((d) => d.TargetHealth.State);
    return states.length === 2 && states.every((s) => s === 'healthy');
  }, 60, 'both targets healthy');
});

afterAll(async () => {
  await skiff.stop();
  cleanup();
});

describe('a load-balanced service while it changes', () => {
  it('rolls out a new task definition under load with zero failed requests', async () => {
    await aws('ecs', 'register-task-definition', '--cli-input-json', taskDefinition('v2'));
    const traffic = load();
    await aws('ecs', 'update-service', '--service', 'web', '--task-definition', 'web:2');
    await until(async () => {
      const s = await service();
      return s.taskDefinition.endsWith('web:2') && s.deployments.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED' && s.runningCount === 2;
    }, 120, 'the rollout');
    const results = await traffic.stop();
    const failed = results.filter((r) => r.status !== 200);
    // on failure, say what the service and the load balancer saw (the burst's cause is in there)
    const context = failed.length === 0 ? '' : JSON.stringify({
      first: failed[0],
      last: failed[failed.length - 1],
      events: ((await aws('ecs', 'describe-services', '--services', 'web'))['services'] as Array<{ events: unknown[] }>)[0]?.events.slice(0, 15),
      health: (await aws('elbv2', 'describe-target-health', '--target-group-arn', tgArn))['TargetHealthDescriptions'],
    });
    // the count, not the list, so the context stays at the end of the output
    expect(failed.length, context).toBe(0);
    expect(results.some((r) => r.body.trim() === 'v1')).toBe(true);
    expect(results.slice(-10).every((r) => r.body.trim() === 'v2')).toBe(true);
  });

  it('replaces a killed task; once its target is unhealthy no request goes to it', async () => {
    const health = await aws('elbv2', 'describe-target-health', '--target-group-arn', tgArn);
    const healthy = (health['TargetHealthDescriptions'] as Array<{ Target: { Id: string }; TargetHealth: { State: string } }>).filter((d) => d.TargetHealth.State === 'healthy');
    const victim = healthy[0]!.Target.Id;
    const tasks = await serviceTasks();
    const task = tasks.find((t) => t.ip === victim);
    expect(task).toBeDefined();
    const traffic = load();
    const killed = spawnSync('docker', ['kill', `skiff-${task!.taskArn.split('/').pop()}-web`], { encoding: 'utf8' });
    expect(killed.status, killed.stderr).toBe(0);
    const killedAt = Date.now();
    // Docker hands a freed address to the next container, so the replacement may come back
    // on the victim's IP: the dead target is gone once the task has stopped and every
    // target of the group is the address of a running task
    await until(async () => {
      const [h, now] = await Promise.all([aws('elbv2', 'describe-target-health', '--target-group-arn', tgArn), serviceTasks()]);
      const running = new Set(now.filter((t) => t.lastStatus === 'RUNNING').map((t) => t.ip));
      const stoppedVictim = now.find((t) => t.taskArn === task!.taskArn)?.lastStatus === 'STOPPED';
      return stoppedVictim && (h['TargetHealthDescriptions'] as Array<{ Target: { Id: string } }>).every((d) => running.has(d.Target.Id));
    }, 60, 'the dead target to leave the target group');
    const goneAt = Date.now();
    await until(async () => (await service()).runningCount === 2, 60, 'the replacement');
    await new Promise((r) => setTimeout(r, 2000));
    const results = await traffic.stop();
    const failures = results.filter((r) => r.status !== 200);
    // the load run reports what failed while the dead target was still in rotation...
    console.log(`requests: ${results.length}, failed: ${failures.length} (all within ${goneAt - killedAt} ms of the kill)`);
    // ...and nothing fails once it has been taken out
    expect(failures.filter((r) => r.at > goneAt)).toEqual([]);
    expect(results.filter((r) => r.at > goneAt && r.status === 200).length).toBeGreaterThan(0);
  });
});
