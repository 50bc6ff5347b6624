import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, type CliResult } from '../helpers/aws-cli.js';
import { SKIFF_BIN } from '../helpers/skiff-process.js';
import { useSkiff } from '../helpers/use-skiff.js';

/**
 * `skiff buckets`, `skiff rules`, `skiff schedules` (and the moved `skiff events`) against a
 * real `skiff up`, with everything they show set up by AWS CLI v2. Nothing here fires: the
 * rule matches keys under `incoming/`, which no upload uses, and the schedule runs at 03:00.
 */
const env = useSkiff();
const BUCKET = 'cli-photos';
const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/default';
const OBJECTS = { 'cats/tabby.txt': 'a tabby cat\n', 'cats/calico.txt': 'calico!', 'dogs/rex.bin': 'x'.repeat(3000) };
let files: string;
let taskDefinitionArn = '';

function aws(...args: string[]): CliResult {
  const r = awsCli(env.skiff.endpoint, args);
  expect(r.status, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The built `skiff` as a user runs it, pointed at the test server through SKIFF_ENDPOINT. */
function skiff(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SKIFF_BIN, ...args], { env: { ...process.env, SKIFF_ENDPOINT: env.skiff.endpoint } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function ok(...args: string[]): Promise<string> {
  const r = await skiff(...args);
  expect(r.status, `skiff ${args.join(' ')}\n${r.stderr}`).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout;
}

/** The whitespace-separated cells of the line of a table that starts with `first`. */
function row(table: string, first: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`${first} `));
  if (!line) throw new Error(`no row ${first} in:\n${table}`);
  return line.split(/ {2,}/);
}

beforeAll(() => {
  files = mkdtempSync(path.join(os.tmpdir(), 'skiff-cli-resources-'));
  setUpBuckets();
  const td = aws('ecs', 'register-task-definition', '--family', 'cli-worker', '--requires-compatibilities', 'FARGATE', '--network-mode', 'awsvpc', '--cpu', '256', '--memory', '512', '--container-definitions', JSON.stringify([{ name: 'worker', image: 'alpine', essential: true }]));
  taskDefinitionArn = (td.json as { taskDefinition: { taskDefinitionArn: string } }).taskDefinition.taskDefinitionArn;
  setUpRules();
  setUpSchedule();
});

/** A bucket with EventBridge delivery and three objects, and an empty one without. */
function setUpBuckets(): void {
  aws('s3api', 'create-bucket', '--bucket', BUCKET);
  aws('s3api', 'create-bucket', '--bucket', 'cli-empty');
  aws('s3api', 'put-bucket-notification-configuration', '--bucket', BUCKET, '--notification-configuration', '{"EventBridgeConfiguration":{}}');
  for (const [key, body] of Object.entries(OBJECTS)) {
    const file = path.join(files, key.replace('/', '-'));
    writeFileSync(file, body);
    aws('s3api', 'put-object', '--bucket', BUCKET, '--key', key, '--body', file);
  }
}

/** An S3 rule with an ECS target (never matched: no key is under incoming/) and a disabled scheduled rule. */
function setUpRules(): void {
  const pattern = { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [BUCKET] }, object: { key: [{ prefix: 'incoming/' }] } } };
  aws('events', 'put-rule', '--name', 'on-incoming', '--event-pattern', JSON.stringify(pattern));
  const target = {
    Id: 'resize',
    Arn: CLUSTER,
    RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
    EcsParameters: { TaskDefinitionArn: taskDefinitionArn, TaskCount: 2, LaunchType: 'FARGATE', NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['subnet-cli'], AssignPublicIp: 'ENABLED' } } },
    InputTransformer: { InputPathsMap: { key: '$.detail.object.key' }, InputTemplate: '{"containerOverrides":[{"name":"worker","environment":[{"name":"KEY","value":<key>}]}]}' },
    RetryPolicy: { MaximumRetryAttempts: 4 },
  };
  aws('events', 'put-targets', '--rule', 'on-incoming', '--targets', JSON.stringify([target]));
  aws('events', 'put-rule', '--name', 'hourly', '--schedule-expression', 'rate(1 hour)', '--state', 'DISABLED');
}

/** A schedule in its own group, at 03:00 Paris time, running three tasks. */
function setUpSchedule(): void {
  aws('scheduler', 'create-schedule-group', '--name', 'reports');
  const target = { Arn: CLUSTER, RoleArn: 'arn:aws:iam::000000000000:role/scheduler', EcsParameters: { TaskDefinitionArn: taskDefinitionArn, TaskCount: 3, LaunchType: 'FARGATE' }, Input: '{"containerOverrides":[]}' };
  aws('scheduler', 'create-schedule', '--name', 'nightly', '--group-name', 'reports', '--schedule-expression', 'cron(0 3 * * ? *)', '--schedule-expression-timezone', 'Europe/Paris', '--flexible-time-window', 'Mode=FLEXIBLE,MaximumWindowInMinutes=15', '--target', JSON.stringify(target));
}

afterAll(() => rmSync(files, { recursive: true, force: true }));

describe('skiff buckets', () => {
  it('lists each bucket with its creation time, objects, size and EventBridge delivery', async () => {
    const out = await ok('buckets');
    const listed = (aws('s3api', 'list-buckets').json as { Buckets: Array<{ Name: string; CreationDate: string }> }).Buckets;
    const created = listed.find((b) => b.Name === BUCKET)?.CreationDate ?? '';
    const bytes = Object.values(OBJECTS).reduce((n, body) => n + Buffer.byteLength(body), 0);
    expect(out.split('\n')[0]).toMatch(/^BUCKET +CREATED +OBJECTS +SIZE +EVENTBRIDGE$/);
    expect(row(out, BUCKET)).toEqual([BUCKET, new Date(created).toISOString().replace(/\.\d{3}Z$/, 'Z'), String(Object.keys(OBJECTS).length), `${(bytes / 1024).toFixed(1)} KiB`, 'on']);
    expect(row(out, 'cli-empty')).toEqual(['cli-empty', expect.stringMatching(/^\d{4}-\d\d-\d\dT/), '0', '0 B', 'off']);
  });

  it("lists a bucket's objects with their sizes and times, all or under --prefix", async () => {
    const out = await ok('buckets', BUCKET);
    expect(out.split('\n')[0]).toBe(`s3://${BUCKET}/  EventBridge delivery: on`);
    const head = aws('s3api', 'head-object', '--bucket', BUCKET, '--key', 'cats/tabby.txt').json as { LastModified: string };
    expect(row(out, 'cats/tabby.txt')).toEqual(['cats/tabby.txt', `${Buffer.byteLength(OBJECTS['cats/tabby.txt'])} B`, new Date(head.LastModified).toISOString().replace(/\.\d{3}Z$/, 'Z')]);
    expect(row(out, 'dogs/rex.bin').slice(0, 2)).toEqual(['dogs/rex.bin', '2.9 KiB']);
    expect(out).toMatch(/\n3 objects, /);

    const cats = await ok('buckets', BUCKET, '--prefix', 'cats/');
    expect(cats.split('\n')[0]).toBe(`s3://${BUCKET}/cats/  EventBridge delivery: on`);
    expect(cats).toContain('cats/calico.txt');
    expect(cats).not.toContain('dogs/rex.bin');
    expect(cats).toMatch(/\n2 objects, 19 B\n$/);
  });

  it('prints JSON with --json', async () => {
    const out = JSON.parse(await ok('buckets', BUCKET, '--json')) as { bucket: string; eventBridge: boolean; objects: Array<{ Key: string; Size: number }> };
    expect(out.bucket).toBe(BUCKET);
    expect(out.eventBridge).toBe(true);
    expect(out.objects.map((o) => o.Key).sort()).toEqual(Object.keys(OBJECTS).sort());
  });

  it('says a bucket does not exist with the S3 error code and a non-zero exit', async () => {
    const r = await skiff('buckets', 'no-such-bucket');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^skiff: NoSuchBucket: .+\n$/);
  });
});

describe('skiff rules', () => {
  it('lists the rules of the default bus with their trigger and targets', async () => {
    const out = await ok('rules');
    expect(out.split('\n')[0]).toMatch(/^RULE +STATE +PATTERN \/ SCHEDULE +TARGETS$/);
    const [name, state, pattern, targets] = row(out, 'on-incoming');
    expect([name, state, targets]).toEqual(['on-incoming', 'ENABLED', 'resize (ecs:cluster/default)']);
    expect(pattern).toMatch(/^\{"source":\["aws\.s3"\],"detail-type":\["Object Created"\]/);
    expect(row(out, 'hourly')).toEqual(['hourly', 'DISABLED', 'rate(1 hour)', '-']);
  });

  it('shows one rule with its ECS target and input transformer', async () => {
    const out = await ok('rules', 'on-incoming');
    const described = aws('events', 'describe-rule', '--name', 'on-incoming').json as { Arn: string };
    expect(out).toContain(`Arn:        ${described.Arn}\n`);
    expect(out).toContain('State:      ENABLED\n');
    expect(out).toContain(`"prefix":"incoming/"`);
    expect(out).toContain(`  resize  ${CLUSTER}\n`);
    expect(out).toContain(`    ECS task:        ${taskDefinitionArn.split('/').pop() ?? ''} ×2, FARGATE, subnets subnet-cli, public IP ENABLED\n`);
    expect(out).toContain('    Input paths:     <key> = $.detail.object.key\n');
    expect(out).toContain('    Retry:           4 retries\n');
  });

  it('fails with the EventBridge error for an unknown rule or bus', async () => {
    const rule = await skiff('rules', 'nope');
    expect(rule.status).toBe(1);
    expect(rule.stderr).toBe('skiff: ResourceNotFoundException: Rule nope does not exist on EventBus default.\n');
    const bus = await skiff('rules', '--bus', 'nobus');
    expect(bus.status).toBe(1);
    expect(bus.stderr).toMatch(/^skiff: ResourceNotFoundException: .*nobus/);
  });
});

describe('skiff schedules', () => {
  it('lists schedules with expression, time zone, state and target', async () => {
    const out = await ok('schedules');
    expect(out.split('\n')[0]).toMatch(/^GROUP +NAME +EXPRESSION +TIMEZONE +STATE +TARGET$/);
    expect(row(out, 'reports')).toEqual(['reports', 'nightly', 'cron(0 3 * * ? *)', 'Europe/Paris', 'ENABLED', 'ecs:cluster/default']);
    expect(await ok('schedules', '--group', 'default')).not.toContain('nightly');
  });

  it('shows one schedule in its group, and fails outside it', async () => {
    const out = await ok('schedules', 'nightly', '--group', 'reports');
    const got = aws('scheduler', 'get-schedule', '--name', 'nightly', '--group-name', 'reports').json as { Arn: string };
    expect(out).toContain(`Arn:              ${got.Arn}\n`);
    expect(out).toContain('Flexible window:  FLEXIBLE, up to 15 min\n');
    expect(out).toContain(`Target  ${CLUSTER}\n`);
    expect(out).toContain(`  ECS task:  ${taskDefinitionArn.split('/').pop() ?? ''} ×3, FARGATE\n`);
    expect(out).toContain('  Input:     {"containerOverrides":[]}\n');
    const missing = await skiff('schedules', 'nightly');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^skiff: ResourceNotFoundException: .*nightly/);
  });
});

describe('skiff events (moved under src/cli)', () => {
  it('still lists dead letters', async () => {
    expect(await ok('events', 'dead-letters')).toMatch(/^ID +SOURCE +TARGET +ATTEMPTS +DEAD +ERROR\n$/);
  });
});
