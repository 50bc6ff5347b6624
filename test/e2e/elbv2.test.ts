import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, awsCliAsync, type CliResult } from '../helpers/aws-cli.js';
import { startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';
import { freePort } from '../helpers/ports.js';

/**
 * The load balancer end to end: AWS CLI v2 drives `skiff up` (the Bean Counter seed's
 * create-load-balancer / create-target-group / create-listener), two node:http backends
 * in this process are the targets, and requests go through the listener port.
 */

interface Backend {
  name: string;
  port: number;
  server: http.Server;
  healthy: boolean;
}

async function backend(name: string, port = 0): Promise<Backend> {
  const b: Backend = { name, port, server: http.createServer(), healthy: true };
  b.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url === '/health') res.writeHead(b.healthy ? 200 : 500).end();
    else res.end(`${name} ${req.url} ${String(req.headers['x-forwarded-port'])}`);
  });
  await new Promise<void>((r) => b.server.listen(port, '127.0.0.1', r));
  b.port = (b.server.address() as AddressInfo).port;
  return b;
}

async function kill(b: Backend): Promise<void> {
  b.server.closeAllConnections();
  await new Promise((r) => b.server.close(r));
}

/** A GET through the load balancer at 127.0.0.1 with the load balancer's name as Host (Node's resolver does not map *.localhost). */
function get(port: number, path = '/', host = 'localhost'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function until<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${seconds} s: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

let skiff: SkiffProcess;
let dataDir: { dir: string; cleanup: () => void };
let a: Backend;
let b: Backend;
let lbArn: string;
let tgArn: string;
let dnsName: string;
let listenerArn: string;
let port: number;

function cli(args: string[]): CliResult {
  const r = awsCli(skiff.endpoint, ['elbv2', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return r;
}

async function health(): Promise<Record<string, string>> {
  const r = await awsCliAsync(skiff.endpoint, ['elbv2', 'describe-target-health', '--target-group-arn', tgArn]);
  const out: Record<string, string> = {};
  for (const d of (r.json as { TargetHealthDescriptions: Array<{ Target: { Port: number }; TargetHealth: { State: string; Reason?: string } }> }).TargetHealthDescriptions) {
    out[d.Target.Port === a.port ? 'A' : 'B'] = `${d.TargetHealth.State}${d.TargetHealth.Reason ? ` ${d.TargetHealth.Reason}` : ''}`;
  }
  return out;
}

async function answers(n: number, path = '/'): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await get(port, path, dnsName)).body.split(' ')[0] ?? '');
  return out;
}

beforeAll(async () => {
  dataDir = tempDataDir();
  skiff = await startSkiff(dataDir.dir, ['--driver', 'fake']);
  a = await backend('A');
  b = await backend('B');
  port = await freePort();
});

afterAll(async () => {
  await skiff.stop();
  for (const x of [a, b]) if (x.server.listening) await kill(x);
  dataDir.cleanup();
});

describe('Elastic Load Balancing v2 through AWS CLI v2', () => {
  it('creates the seed load balancer, target group and listener and balances over two backends', async () => {
    const lb = cli(['create-load-balancer', '--name', 'My-Fargate-ALB', '--subnets', 'subnet-1', 'subnet-2', '--security-groups', 'sg-1']);
    const created = (lb.json as { LoadBalancers: Array<{ LoadBalancerArn: string; DNSName: string; State: { Code: string } }> }).LoadBalancers[0]!;
    expect(created.State.Code).toBe('provisioning');
    ({ LoadBalancerArn: lbArn, DNSName: dnsName } = created);
    expect(dnsName).toMatch(/^My-Fargate-ALB-\d+\.us-east-1\.elb\.localhost$/);
    const tg = cli([
      'create-target-group', '--name', 'My-Fargate-TG', '--protocol', 'HTTP', '--port', '8080', '--target-type', 'ip', '--vpc-id', 'vpc-1',
      '--health-check-path', '/health', '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2',
      '--healthy-threshold-count', '2', '--unhealthy-threshold-count', '2',
    ]);
    tgArn = (tg.json as { TargetGroups: Array<{ TargetGroupArn: string }> }).TargetGroups[0]!.TargetGroupArn;
    cli(['modify-target-group-attributes', '--target-group-arn', tgArn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=3']);
    cli(['register-targets', '--target-group-arn', tgArn, '--targets', `Id=127.0.0.1,Port=${a.port}`, `Id=127.0.0.1,Port=${b.port}`]);
    const listener = cli(['create-listener', '--load-balancer-arn', lbArn, '--protocol', 'HTTP', '--port', String(port), '--default-actions', `Type=forward,TargetGroupArn=${tgArn}`]);
    listenerArn = (listener.json as { Listeners: Array<{ ListenerArn: string }> }).Listeners[0]!.ListenerArn;
    const described = cli(['describe-load-balancers', '--names', 'My-Fargate-ALB']).json as { LoadBalancers: Array<{ State: { Code: string } }> };
    expect(described.LoadBalancers[0]!.State.Code).toBe('active');
    expect(new Set(await answers(4))).toEqual(new Set(['A', 'B']));
    expect((await get(port, '/x', dnsName)).body).toMatch(new RegExp(`^[AB] /x ${port}$`));
  });

  it('answers on the DNS name with curl, which maps *.localhost to loopback', async () => {
    // asynchronously: the backends live in this process and must keep answering
    const curl = await new Promise<{ missing: boolean; stdout: string }>((resolve) => {
      execFile('curl', ['-s', '--max-time', '5', `http://${dnsName}:${port}/via-dns`], (err, stdout) =>
        resolve({ missing: (err as NodeJS.ErrnoException | null)?.code === 'ENOENT', stdout }),
      );
    });
    if (curl.missing) return; // no curl on this machine: the Host-header requests above cover routing
    expect(curl.stdout).toMatch(/^[AB] \/via-dns/);
  });

  it('marks targets healthy, then a killed backend unhealthy, and stops routing to it', async () => {
    await until('both healthy', health, (h) => h['A'] === 'healthy' && h['B'] === 'healthy');
    await kill(b);
    const h = await until('B unhealthy', health, (x) => x['B']?.startsWith('unhealthy') === true);
    expect(h['B']).toBe('unhealthy Target.FailedHealthChecks');
    expect(await answers(6)).toEqual(Array(6).fill('A'));
  });

  it('drains a deregistered target and then forgets it', async () => {
    cli(['deregister-targets', '--target-group-arn', tgArn, '--targets', `Id=127.0.0.1,Port=${b.port}`]);
    expect((await health())['B']).toBe('draining Target.DeregistrationInProgress');
    await until('B gone', health, (h) => h['B'] === undefined, 15);
    expect(await answers(3)).toEqual(['A', 'A', 'A']);
  });

  it('serves rules by priority: path patterns, host headers, fixed responses', async () => {
    cli([
      'create-rule', '--listener-arn', listenerArn, '--priority', '10',
      '--conditions', 'Field=path-pattern,Values=/static/*',
      '--actions', 'Type=fixed-response,FixedResponseConfig={StatusCode=200,ContentType=text/plain,MessageBody=static}',
    ]);
    cli([
      'create-rule', '--listener-arn', listenerArn, '--priority', '5',
      '--conditions', '[{"Field":"host-header","HostHeaderConfig":{"Values":["admin.*"]}}]',
      '--actions', 'Type=fixed-response,FixedResponseConfig={StatusCode=403,MessageBody=no}',
    ]);
    expect(await get(port, '/static/app.js', dnsName)).toEqual({ status: 200, body: 'static' });
    expect(await get(port, '/static/app.js', 'admin.example.com')).toEqual({ status: 403, body: 'no' });
    expect((await get(port, '/api', dnsName)).body).toMatch(/^A \/api/);
    const rules = cli(['describe-rules', '--listener-arn', listenerArn]).json as { Rules: Array<{ Priority: string; IsDefault: boolean }> };
    expect(rules.Rules.map((r) => r.Priority)).toEqual(['5', '10', 'default']);
  });

  it('prints ELBv2 error codes', () => {
    const missing = awsCli(skiff.endpoint, ['elbv2', 'describe-load-balancers', '--names', 'nope']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('(LoadBalancerNotFound)');
    const inUse = awsCli(skiff.endpoint, ['elbv2', 'delete-target-group', '--target-group-arn', tgArn]);
    expect(inUse.stderr).toContain('(ResourceInUse)');
    const dup = awsCli(skiff.endpoint, ['elbv2', 'create-listener', '--load-balancer-arn', lbArn, '--protocol', 'HTTP', '--port', String(port), '--default-actions', 'Type=fixed-response,FixedResponseConfig={StatusCode=200}']);
    expect(dup.stderr).toContain('(DuplicateListener)');
    const badTarget = awsCli(skiff.endpoint, ['elbv2', 'register-targets', '--target-group-arn', tgArn, '--targets', 'Id=not-an-ip']);
    expect(badTarget.stderr).toContain('(InvalidTarget)');
  });

  it('brings the listener back on its port after skiff restarts', async () => {
    await skiff.stop();
    skiff = await startSkiff(dataDir.dir, ['--driver', 'fake']);
    expect(await get(port, '/static/x', dnsName)).toEqual({ status: 200, body: 'static' });
    expect((await get(port, '/back', dnsName)).body).toMatch(/^A \/back/);
    const listeners = cli(['describe-listeners', '--load-balancer-arn', lbArn]).json as { Listeners: Array<{ Port: number }> };
    expect(listeners.Listeners.map((l) => l.Port)).toEqual([port]);
  });
});
