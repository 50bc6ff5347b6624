import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Edge } from '../api/index.js';
import { ManualClock, sequentialIds, silentLogger } from '../core/index.js';
import { ManualTimers } from '../lb/manual-timers.js';
import { createStore, openDatabase, type Store } from '../store/index.js';
import { createElbv2, type Elbv2 } from './index.js';
import { freePort } from '../../test/helpers/ports.js';

const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=00';
const scope = { region: 'us-east-1', account: '000000000000' };

let dir: string;
let store: Store;
let edge: Edge;
let elb: Elbv2;
let endpoint: string;
let backend: http.Server;
let backendPort: number;
const timers = new ManualTimers();

function boot(): Elbv2 {
  const e = createElbv2({ store, clock: new ManualClock(), ids: sequentialIds(Date.now() % 100000), scope, logger: silentLogger, timers, probe: () => Promise.resolve({ ok: true }) });
  return e;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-elbv2-'));
  store = createStore(openDatabase(dir));
  edge = new Edge({ scope, ids: sequentialIds(), logger: silentLogger, maxBodyBytes: 1 << 20 });
  elb = boot();
  edge.addRawService(elb.signingName, (req, res, ctx) => elb.handler(req, res, ctx));
  await elb.start();
  endpoint = `http://127.0.0.1:${(await edge.listen('127.0.0.1', 0)).port}/`;
  backend = http.createServer((req, res) => res.end(`backend ${req.url}`));
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  backendPort = (backend.address() as AddressInfo).port;
});

afterAll(async () => {
  await elb.stop();
  await edge.close();
  await new Promise((r) => backend.close(r));
  store.db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(action: string, params: Record<string, string | number | boolean> = {}): Promise<{ status: number; xml: string }> {
  const body = new URLSearchParams({ Action: action, Version: '2015-12-01', ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
  const res = await fetch(endpoint, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { status: res.status, xml: await res.text() };
}

function value(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

async function ok(action: string, params: Record<string, string | number | boolean> = {}): Promise<string> {
  const r = await call(action, params);
  expect(r.status, r.xml).toBe(200);
  return r.xml;
}

async function fails(action: string, params: Record<string, string | number | boolean>, code: string): Promise<string> {
  const r = await call(action, params);
  expect(r.status).toBe(400);
  expect(value(r.xml, 'Code'), r.xml).toBe(code);
  expect(value(r.xml, 'Type')).toBe('Sender');
  return value(r.xml, 'Message') ?? '';
}

const subnets = { 'Subnets.member.1': 'subnet-a', 'Subnets.member.2': 'subnet-b' };

async function createLb(name: string): Promise<string> {
  return value(await ok('CreateLoadBalancer', { Name: name, ...subnets }), 'LoadBalancerArn')!;
}

async function createTg(name: string, extra: Record<string, string | number> = {}): Promise<string> {
  return value(await ok('CreateTargetGroup', { Name: name, Protocol: 'HTTP', Port: 8080, TargetType: 'ip', VpcId: 'vpc-1', ...extra }), 'TargetGroupArn')!;
}

describe('the ELBv2 API over awsQuery', () => {
  it('creates a load balancer: provisioning in the answer, active when described, a loopback DNS name', async () => {
    const xml = await ok('CreateLoadBalancer', { Name: 'web', ...subnets, 'SecurityGroups.member.1': 'sg-1', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'a' });
    expect(xml).toMatch(/^<\?xml[^>]*>\n<CreateLoadBalancerResponse xmlns="http:\/\/elasticloadbalancing.amazonaws.com\/doc\/2015-12-01\/"><CreateLoadBalancerResult><LoadBalancers><member>/);
    expect(value(xml, 'Code')).toBe('provisioning');
    expect(value(xml, 'DNSName')).toMatch(/^web-\d+\.us-east-1\.elb\.localhost$/);
    expect(value(xml, 'LoadBalancerArn')).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer\/app\/web\/[0-9a-f]{16}$/);
    expect(xml).toContain('<AvailabilityZones><member><ZoneName>us-east-1a</ZoneName><SubnetId>subnet-a</SubnetId>');
    const described = await ok('DescribeLoadBalancers', { 'Names.member.1': 'web' });
    expect(value(described, 'Code')).toBe('active');
    expect(value(described, 'CreatedTime')).toBe('2026-01-01T00:00:00.000Z');
    const tags = await ok('DescribeTags', { 'ResourceArns.member.1': value(xml, 'LoadBalancerArn')! });
    expect(tags).toContain('<Tags><member><Key>team</Key><Value>a</Value></member></Tags>');
  });

  it('answers the same CreateLoadBalancer twice, and DuplicateLoadBalancerName for other settings', async () => {
    const first = await createLb('twice');
    expect(await createLb('twice')).toBe(first);
    await fails('CreateLoadBalancer', { Name: 'twice', Scheme: 'internal', ...subnets }, 'DuplicateLoadBalancerName');
  });

  it.each([
    ['CreateLoadBalancer', { Name: '-bad', ...subnets }, 'ValidationError'],
    ['CreateLoadBalancer', { Name: 'one-subnet', 'Subnets.member.1': 'subnet-a' }, 'ValidationError'],
    ['CreateLoadBalancer', { Name: 'nlb', Type: 'network', ...subnets }, 'InvalidConfigurationRequest'],
    ['CreateLoadBalancer', { Name: 'x', Scheme: 'public', ...subnets }, 'InvalidScheme'],
    ['DescribeLoadBalancers', { 'Names.member.1': 'missing' }, 'LoadBalancerNotFound'],
    ['DescribeLoadBalancers', { PageSize: 0 }, 'ValidationError'],
    ['CreateTargetGroup', { Name: 'tcp', Protocol: 'TCP', Port: 80 }, 'InvalidConfigurationRequest'],
    ['CreateTargetGroup', { Name: 'slow', Protocol: 'HTTP', Port: 80, HealthCheckIntervalSeconds: 4 }, 'ValidationError'],
    ['CreateTargetGroup', { Name: 'tmo', Protocol: 'HTTP', Port: 80, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 5 }, 'InvalidConfigurationRequest'],
    ['CreateTargetGroup', { Name: 'path', Protocol: 'HTTP', Port: 80, HealthCheckPath: 'health' }, 'ValidationError'],
    ['CreateTargetGroup', { Name: 'match', Protocol: 'HTTP', Port: 80, 'Matcher.HttpCode': '600' }, 'ValidationError'],
    ['DescribeTargetGroups', { 'Names.member.1': 'missing' }, 'TargetGroupNotFound'],
    ['DescribeListeners', { ListenerArn: 'x' }, 'ValidationError'],
    ['DescribeListeners', { 'ListenerArns.member.1': 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/a/1/2' }, 'ListenerNotFound'],
    ['DeleteRule', { RuleArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/a/1/2/3' }, 'RuleNotFound'],
  ] as const)('%s %o is refused with %s', async (action, params, code) => {
    await fails(action, params, code);
  });

  it('answers unknown actions and bad versions in the query error shape', async () => {
    await fails('Frobnicate', {}, 'InvalidAction');
    const r = await call('DescribeLoadBalancers', { Version: '2012-06-01' });
    expect(value(r.xml, 'Code')).toBe('InvalidParameterValue');
  });

  it('gives a target group AWS defaults and attributes, and modifies both within bounds', async () => {
    const arn = await createTg('defaults');
    const xml = await ok('DescribeTargetGroups', { 'TargetGroupArns.member.1': arn });
    for (const [tag, v] of [['HealthCheckPath', '/'], ['HealthCheckPort', 'traffic-port'], ['HealthCheckIntervalSeconds', '30'], ['HealthCheckTimeoutSeconds', '5'], ['HealthyThresholdCount', '5'], ['UnhealthyThresholdCount', '2'], ['HttpCode', '200'], ['HealthCheckEnabled', 'true']]) {
      expect(value(xml, tag!), tag).toBe(v);
    }
    expect(xml).toContain('<LoadBalancerArns></LoadBalancerArns>');
    const attrs = await ok('DescribeTargetGroupAttributes', { TargetGroupArn: arn });
    expect(attrs).toContain('<member><Key>deregistration_delay.timeout_seconds</Key><Value>300</Value></member>');
    const modified = await ok('ModifyTargetGroupAttributes', { TargetGroupArn: arn, 'Attributes.member.1.Key': 'load_balancing.algorithm.type', 'Attributes.member.1.Value': 'least_outstanding_requests' });
    expect(modified).toContain('<Key>load_balancing.algorithm.type</Key><Value>least_outstanding_requests</Value>');
    await fails('ModifyTargetGroupAttributes', { TargetGroupArn: arn, 'Attributes.member.1.Key': 'deregistration_delay.timeout_seconds', 'Attributes.member.1.Value': '4000' }, 'InvalidConfigurationRequest');
    await fails('ModifyTargetGroupAttributes', { TargetGroupArn: arn, 'Attributes.member.1.Key': 'nope', 'Attributes.member.1.Value': '1' }, 'InvalidConfigurationRequest');
    const hc = await ok('ModifyTargetGroup', { TargetGroupArn: arn, HealthCheckIntervalSeconds: 10, 'Matcher.HttpCode': '200-299' });
    expect([value(hc, 'HealthCheckIntervalSeconds'), value(hc, 'HttpCode')]).toEqual(['10', '200-299']);
  });

  it('pages with Marker and PageSize', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) await createTg(n);
    const first = await ok('DescribeTargetGroups', { PageSize: 2 });
    const marker = value(first, 'NextMarker')!;
    expect(marker).toBeDefined();
    const names: string[] = [...first.matchAll(/<TargetGroupName>([^<]*)</g)].map((m) => m[1]!);
    let next: string | undefined = marker;
    while (next) {
      const page = await ok('DescribeTargetGroups', { PageSize: 2, Marker: next });
      names.push(...[...page.matchAll(/<TargetGroupName>([^<]*)</g)].map((m) => m[1]!));
      next = value(page, 'NextMarker');
    }
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c']));
  });

  it('routes through a listener: rules by priority, fixed responses, targets and their health', async () => {
    const lb = await createLb('routed');
    const tg = await createTg('routed-tg', { HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2 });
    await ok('RegisterTargets', { TargetGroupArn: tg, 'Targets.member.1.Id': '127.0.0.1', 'Targets.member.1.Port': backendPort });
    const port = await freePort();
    const listenerXml = await ok('CreateListener', { LoadBalancerArn: lb, Protocol: 'HTTP', Port: port, 'DefaultActions.member.1.Type': 'forward', 'DefaultActions.member.1.TargetGroupArn': tg });
    const listener = value(listenerXml, 'ListenerArn')!;
    expect(listenerXml).toContain(`<ForwardConfig><TargetGroups><member><TargetGroupArn>${tg}</TargetGroupArn><Weight>1</Weight></member></TargetGroups>`);
    await ok('CreateRule', {
      ListenerArn: listener, Priority: 10,
      'Conditions.member.1.Field': 'path-pattern', 'Conditions.member.1.Values.member.1': '/maintenance*',
      'Actions.member.1.Type': 'fixed-response', 'Actions.member.1.FixedResponseConfig.StatusCode': '503', 'Actions.member.1.FixedResponseConfig.MessageBody': 'down', 'Actions.member.1.FixedResponseConfig.ContentType': 'text/plain',
    });
    await fails('CreateRule', { ListenerArn: listener, Priority: 10, 'Conditions.member.1.Field': 'path-pattern', 'Conditions.member.1.Values.member.1': '/x', 'Actions.member.1.Type': 'forward', 'Actions.member.1.TargetGroupArn': tg }, 'PriorityInUse');
    expect(await (await fetch(`http://127.0.0.1:${port}/maintenance/now`)).text()).toBe('down');
    expect(await (await fetch(`http://127.0.0.1:${port}/hello`)).text()).toBe('backend /hello');
    const rules = await ok('DescribeRules', { ListenerArn: listener });
    expect([...rules.matchAll(/<Priority>([^<]*)</g)].map((m) => m[1])).toEqual(['10', 'default']);
    expect(await ok('DescribeTargetGroups', { LoadBalancerArn: lb })).toContain(`<LoadBalancerArns><member>${lb}</member></LoadBalancerArns>`);
    expect(value(await ok('DescribeTargetHealth', { TargetGroupArn: tg }), 'State')).toBe('initial');
    timers.advance(5000);
    await new Promise((r) => setImmediate(r));
    expect(value(await ok('DescribeTargetHealth', { TargetGroupArn: tg }), 'State')).toBe('healthy');
    expect(elb.metrics.requestCount(tg)).toBe(1);
    expect(elb.metrics.resourceLabel(tg)).toMatch(/^app\/routed\/[0-9a-f]{16}\/targetgroup\/routed-tg\/[0-9a-f]{16}$/);
    expect(elb.metrics.targetGroupOfResourceLabel(elb.metrics.resourceLabel(tg)!)).toBe(tg);
    await fails('DeleteTargetGroup', { TargetGroupArn: tg }, 'ResourceInUse');
    await fails('CreateListener', { LoadBalancerArn: lb, Protocol: 'HTTP', Port: port, 'DefaultActions.member.1.Type': 'fixed-response', 'DefaultActions.member.1.FixedResponseConfig.StatusCode': '200' }, 'DuplicateListener');
  });

  it('deregisters into draining, and refuses targets that are not registered or not IPs', async () => {
    const tg = await createTg('drain-tg');
    await fails('RegisterTargets', { TargetGroupArn: tg, 'Targets.member.1.Id': 'i-123' }, 'InvalidTarget');
    await ok('RegisterTargets', { TargetGroupArn: tg, 'Targets.member.1.Id': '127.0.0.1', 'Targets.member.1.Port': 9 });
    const unused = await ok('DescribeTargetHealth', { TargetGroupArn: tg });
    expect([value(unused, 'State'), value(unused, 'Reason')]).toEqual(['unused', 'Target.NotInUse']);
    await ok('DeregisterTargets', { TargetGroupArn: tg, 'Targets.member.1.Id': '127.0.0.1', 'Targets.member.1.Port': 9 });
    const drained = await ok('DescribeTargetHealth', { TargetGroupArn: tg });
    expect([value(drained, 'State'), value(drained, 'Reason')]).toEqual(['draining', 'Target.DeregistrationInProgress']);
    await fails('DeregisterTargets', { TargetGroupArn: tg, 'Targets.member.1.Id': '127.0.0.1', 'Targets.member.1.Port': 9 }, 'InvalidTarget');
    timers.advance(300_000);
    expect(await ok('DescribeTargetHealth', { TargetGroupArn: tg })).toContain('<TargetHealthDescriptions></TargetHealthDescriptions>');
    const asked = await ok('DescribeTargetHealth', { TargetGroupArn: tg, 'Targets.member.1.Id': '10.0.0.1' });
    expect(value(asked, 'Reason')).toBe('Target.NotRegistered');
  });

  it('fails CreateListener clearly when the port is taken, storing nothing', async () => {
    const lb = await createLb('taken');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    const message = await fails('CreateListener', { LoadBalancerArn: lb, Protocol: 'HTTP', Port: port, 'DefaultActions.member.1.Type': 'fixed-response', 'DefaultActions.member.1.FixedResponseConfig.StatusCode': '200' }, 'InvalidConfigurationRequest');
    expect(message).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(await ok('DescribeListeners', { LoadBalancerArn: lb })).toContain('<Listeners></Listeners>');
    await new Promise((r) => blocker.close(r));
  });

  it('brings listeners back on their ports after a restart', async () => {
    const lb = await createLb('restart');
    const port = await freePort();
    await ok('CreateListener', { LoadBalancerArn: lb, Protocol: 'HTTP', Port: port, 'DefaultActions.member.1.Type': 'fixed-response', 'DefaultActions.member.1.FixedResponseConfig.StatusCode': '200', 'DefaultActions.member.1.FixedResponseConfig.MessageBody': 'up' });
    await elb.stop();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    elb = boot();
    await elb.start();
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('up');
    await ok('DeleteLoadBalancer', { LoadBalancerArn: lb });
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    await ok('DeleteLoadBalancer', { LoadBalancerArn: lb });
  });
});
