/**
 * The Scaling-Container pattern of the seed article ("Bean Counter") with AWS CLI v2
 * only: a load balancer, target group and listener; a task definition; a service with
 * loadBalancers and desiredCount 2; a scalable target and a CPU target-tracking policy;
 * then load through the load balancer. skiff runs with a 2 s metric period so the
 * scaling happens in seconds instead of minutes.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliAsync, type CliResult } from '../helpers/aws-cli.js';
import { startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';
import { IMAGE } from '../helpers/tasks.js';
import { until } from '../helpers/eventually.js';
import { freePort } from '../helpers/ports.js';

let skiff: SkiffProcess;
let cleanup: () => void;
let port = 0;
let lastError = '';

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const r: CliResult = await awsCliAsync(skiff.endpoint, args);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return (r.json ?? {}) as Record<string, unknown>;
}

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (err) => resolve({ status: 0, body: err.message }));
    req.on('timeout', () => req.destroy());
  });
}

async function service(): Promise<{ desiredCount: number; runningCount: number; deployments: unknown[] }> {
  const out = await aws('ecs', 'describe-services', '--cluster', 'bean-counter-cluster', '--services', 'bean-counter-service');
  return (out['services'] as Array<{ desiredCount: number; runningCount: number; deployments: unknown[] }>)[0]!;
}

/** A closed-loop load of `concurrency` clients until `stop()`; counts answers by status. */
function load(concurrency: number, path: string): { stop: () => Promise<Map<number, number>> } {
  let running = true;
  const statuses = new Map<number, number>();
  const worker = async (): Promise<void> => {
    while (running) {
      const r = await get(path);
      if (r.status !== 200) lastError = `${r.status} ${r.body.slice(0, 200)}`;
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return statuses;
    },
  };
}

beforeAll(async () => {
  const tmp = tempDataDir();
  cleanup = tmp.cleanup;
  skiff = await startSkiff(tmp.dir, ['--metrics-period', '2s']);
  port = await freePort();
});

afterAll(async () => {
  await skiff.stop();
  cleanup();
});

describe('Bean Counter: a service behind the load balancer, scaled by CPU', () => {
  it('serves from both tasks, scales out under load and back in without it', async () => {
    const lb = await aws('elbv2', 'create-load-balancer', '--name', 'My-Fargate-ALB', '--subnets', 'subnet-1', 'subnet-2', '--security-groups', 'sg-1');
    const lbArn = (lb['LoadBalancers'] as Array<{ LoadBalancerArn: string }>)[0]!.LoadBalancerArn;
    const tg = await aws(
      'elbv2', 'create-target-group', '--name', 'bean-counter-tg', '--protocol', 'HTTP', '--port', '8080', '--vpc-id', 'vpc-1',
      '--target-type', 'ip', '--health-check-path', '/', '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2', '--healthy-threshold-count', '2',
    );
    const tgArn = (tg['TargetGroups'] as Array<{ TargetGroupArn: string }>)[0]!.TargetGroupArn;
    await aws('elbv2', 'modify-target-group-attributes', '--target-group-arn', tgArn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=2');
    await aws('elbv2', 'create-listener', '--load-balancer-arn', lbArn, '--protocol', 'HTTP', '--port', String(port),
      '--default-actions', `Type=forward,TargetGroupArn=${tgArn}`);
    await aws('ecs', 'create-cluster', '--cluster-name', 'bean-counter-cluster');
    // the "coin counter": answers with its hostname; /cgi-bin/count burns CPU like image analysis
    const cgi = '#!/bin/sh\ni=0; while [ $i -lt 20000 ]; do i=$((i+1)); done\nprintf "Content-Type: text/plain\\r\\n\\r\\n"; hostname\n';
    const script = [
      'mkdir -p /www/cgi-bin',
      'hostname > /www/index.html',
      `echo ${Buffer.from(cgi).toString('base64')} | base64 -d > /www/cgi-bin/count`,
      'chmod +x /www/cgi-bin/count',
      'exec httpd -f -p 8080 -h /www',
    ].join(' && ');
    await aws('ecs', 'register-task-definition', '--cli-input-json', JSON.stringify({
      family: 'bean-counter-service-task',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'bean-counter-container', image: IMAGE, essential: true, stopTimeout: 2, portMappings: [{ containerPort: 8080, hostPort: 8080 }], command: ['sh', '-c', script] }],
    }));
    await aws('ecs', 'create-service', '--cli-input-json', JSON.stringify({
      cluster: 'bean-counter-cluster',
      serviceName: 'bean-counter-service',
      taskDefinition: 'bean-counter-service-task',
      loadBalancers: [{ targetGroupArn: tgArn, containerName: 'bean-counter-container', containerPort: 8080 }],
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1', 'subnet-2'], securityGroups: ['sg-1'], assignPublicIp: 'ENABLED' } },
    }));
    const stable = await awsCliAsync(skiff.endpoint, ['ecs', 'wait', 'services-stable', '--cluster', 'bean-counter-cluster', '--services', 'bean-counter-service']);
    expect(stable.status, stable.stderr).toBe(0);

    // responses come from both tasks
    const hosts = new Set<string>();
    for (let i = 0; i < 20; i++) hosts.add((await get('/')).body.trim());
    expect(hosts.size).toBe(2);

    await aws('application-autoscaling', 'register-scalable-target', '--service-namespace', 'ecs', '--scalable-dimension', 'ecs:service:DesiredCount',
      '--resource-id', 'service/bean-counter-cluster/bean-counter-service', '--min-capacity', '2', '--max-capacity', '4');
    await aws('application-autoscaling', 'put-scaling-policy', '--service-namespace', 'ecs', '--scalable-dimension', 'ecs:service:DesiredCount',
      '--resource-id', 'service/bean-counter-cluster/bean-counter-service', '--policy-name', 'cpu50', '--policy-type', 'TargetTrackingScaling',
      '--target-tracking-scaling-policy-configuration', JSON.stringify({
        TargetValue: 50,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        ScaleOutCooldown: 2,
        ScaleInCooldown: 2,
      }));

    const traffic = load(8, '/cgi-bin/count');
    try {
      await until(async () => (await service()).desiredCount > 2, 90, 'a scale-out').catch(async (err: unknown) => {
        const acts = await awsCliAsync(skiff.endpoint, ['application-autoscaling', 'describe-scaling-activities', '--service-namespace', 'ecs']);
        console.log('ACTIVITIES', acts.stdout, 'OUTPUT', skiff.output().slice(-3000));
        throw err;
      });
    } finally {
      const statuses = await traffic.stop();
      expect(statuses.get(200) ?? 0, JSON.stringify([...statuses], null, 0) + ' ' + lastError).toBeGreaterThan(0);
    }
    await until(async () => (await service()).desiredCount === 2, 150, 'the scale-in back to 2');
    const activities = await aws('application-autoscaling', 'describe-scaling-activities', '--service-namespace', 'ecs',
      '--resource-id', 'service/bean-counter-cluster/bean-counter-service');
    const descriptions = (activities['ScalingActivities'] as Array<{ Description: string; StatusCode: string }>).map((a) => a.Description);
    expect(descriptions.some((d) => /Setting desired count to [34]/.test(d))).toBe(true);
    expect(descriptions.some((d) => /Setting desired count to 2/.test(d))).toBe(true);
  });
});
