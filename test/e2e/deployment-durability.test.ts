/** kill -9 of skiff up in the middle of a rolling deployment behind a load balancer. */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCliAsync } from '../helpers/aws-cli.js';
import { startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';
import { IMAGE } from '../helpers/tasks.js';

const tmp = tempDataDir();
afterAll(() => tmp.cleanup());

async function aws(skiff: SkiffProcess, ...args: string[]): Promise<Record<string, unknown>> {
  const r = await awsCliAsync(skiff.endpoint, args);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return (r.json ?? {}) as Record<string, unknown>;
}

function get(port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(`${res.statusCode} ${body.trim()}`));
    });
    req.on('error', (err) => resolve(`error ${err.message}`));
    req.on('timeout', () => req.destroy());
  });
}

function td(version: string): string {
  return JSON.stringify({
    family: 'web', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512',
    containerDefinitions: [{ name: 'web', image: IMAGE, stopTimeout: 2, portMappings: [{ containerPort: 8080 }],
      command: ['sh', '-c', `mkdir -p /www && echo ${version} > /www/index.html && exec httpd -f -p 8080 -h /www`] }],
  });
}

describe('kill -9 mid-deployment', () => {
  it('carries the deployment on after a restart, and the load balancer comes back on its port', async () => {
    let skiff = await startSkiff(tmp.dir);
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    const lb = await aws(skiff, 'elbv2', 'create-load-balancer', '--name', 'web-alb', '--subnets', 'subnet-1', 'subnet-2');
    const lbArn = (lb['LoadBalancers'] as Array<{ LoadBalancerArn: string }>)[0]!.LoadBalancerArn;
    const tg = await aws(skiff, 'elbv2', 'create-target-group', '--name', 'web-tg', '--protocol', 'HTTP', '--port', '8080', '--vpc-id', 'vpc-1',
      '--target-type', 'ip', '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2', '--healthy-threshold-count', '2');
    const tgArn = (tg['TargetGroups'] as Array<{ TargetGroupArn: string }>)[0]!.TargetGroupArn;
    await aws(skiff, 'elbv2', 'modify-target-group-attributes', '--target-group-arn', tgArn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=2');
    await aws(skiff, 'elbv2', 'create-listener', '--load-balancer-arn', lbArn, '--protocol', 'HTTP', '--port', String(port), '--default-actions', `Type=forward,TargetGroupArn=${tgArn}`);
    await aws(skiff, 'ecs', 'register-task-definition', '--cli-input-json', td('v1'));
    await aws(skiff, 'ecs', 'register-task-definition', '--cli-input-json', td('v2'));
    await aws(skiff, 'ecs', 'create-service', '--service-name', 'web', '--task-definition', 'web:1', '--desired-count', '2',
      '--network-configuration', 'awsvpcConfiguration={subnets=[subnet-1]}', '--load-balancers', `targetGroupArn=${tgArn},containerName=web,containerPort=8080`);
    expect((await awsCliAsync(skiff.endpoint, ['ecs', 'wait', 'services-stable', '--services', 'web'])).status).toBe(0);
    expect(await get(port)).toBe('200 v1');

    await aws(skiff, 'ecs', 'update-service', '--service', 'web', '--task-definition', 'web:2');
    // let the new deployment get under way, then kill the server
    const deadline = Date.now() + 60_000;
    for (;;) {
      const out = await aws(skiff, 'ecs', 'describe-services', '--services', 'web');
      const svc = (out['services'] as Array<{ deployments: Array<{ runningCount: number; status: string }> }>)[0]!;
      if (svc.deployments.length === 2 && (svc.deployments.find((d) => d.status === 'PRIMARY')?.runningCount ?? 0) >= 1) break;
      if (Date.now() > deadline) throw new Error('the deployment did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    await skiff.kill();

    skiff = await startSkiff(tmp.dir);
    try {
      const stable = await awsCliAsync(skiff.endpoint, ['ecs', 'wait', 'services-stable', '--services', 'web']);
      expect(stable.status, stable.stderr).toBe(0);
      const out = await aws(skiff, 'ecs', 'describe-services', '--services', 'web');
      const svc = (out['services'] as Array<{ taskDefinition: string; runningCount: number; deployments: Array<{ rolloutState: string }> }>)[0]!;
      expect(svc.taskDefinition).toMatch(/web:2$/);
      expect(svc.runningCount).toBe(2);
      expect(svc.deployments.map((d) => d.rolloutState)).toEqual(['COMPLETED']);
      // the listener is back on its port, serving the new version once its targets are healthy
      const until = Date.now() + 60_000;
      let answer = '';
      while (Date.now() < until && (answer = await get(port)) !== '200 v2') await new Promise((r) => setTimeout(r, 500));
      expect(answer).toBe('200 v2');
    } finally {
      await skiff.stop();
    }
  });
});
