import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { StopTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsClient } from '../helpers/sdk.js';
import { SKIFF_BIN, startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';
import { describe1, register, running, stopped, waitFor } from '../helpers/tasks.js';

let server: SkiffProcess;
let cleanup: () => void;
let ecs: ReturnType<typeof ecsClient>;
let logs: CloudWatchLogsClient;
const images: string[] = [];

beforeAll(async () => {
  const tmp = tempDataDir();
  cleanup = tmp.cleanup;
  server = await startSkiff(tmp.dir);
  ecs = ecsClient(server.endpoint);
  logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  ecs.destroy();
  logs.destroy();
  await server.stop();
  cleanup();
  if (images.length > 0) spawnSync('docker', ['rmi', '-f', ...images]);
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `skiff` as a user would, against the test server (SKIFF_ENDPOINT) unless told otherwise. */
function skiff(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SKIFF_BIN, ...args], { env: { ...process.env, SKIFF_ENDPOINT: server.endpoint, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `family:revision` of a task definition ARN. */
const familyOf = (tdArn: string): string => tdArn.split('/')[1]?.split(':')[0] ?? '';
const TASK_LINE = /^([0-9a-f]{32}) {2}(arn:aws:ecs:us-east-1:000000000000:task\/default\/\1)$/m;

function startedTask(out: string): { id: string; arn: string } {
  const m = TASK_LINE.exec(out);
  if (!m?.[1] || !m[2]) throw new Error(`no task line in:\n${out}`);
  return { id: m[1], arn: m[2] };
}

describe('skiff run, ps, stop', () => {
  it('lists every command with a one-line description', async () => {
    const help = await skiff(['--help']);
    expect(help.status).toBe(0);
    for (const cmd of ['up', 'run', 'ps', 'stop', 'logs', 'build']) expect(help.stdout).toMatch(new RegExp(`^ {2}${cmd} .*\\S`, 'm'));
  });

  it('runs a task with --env and --cmd overrides and --wait exits 0 with its id printed', async () => {
    const td = await register(ecs, [{ name: 'app', command: ['sh', '-c', 'exit 5'] }]);
    // the container exits 0 only if the environment override reached it
    const r = await skiff(['run', familyOf(td), '--env', 'GREETING=hi', '--cmd', 'sh', '-c', 'echo $GREETING; test "$GREETING" = hi', '--wait']);
    expect(r.status, r.stderr).toBe(0);
    const { id, arn } = startedTask(r.stdout);
    expect(r.stdout).toContain(`task ${id.slice(0, 12)} stopped: Essential container in task exited (exit 0)`);
    const task = await describe1(ecs, arn);
    expect(task.overrides?.containerOverrides?.[0]).toMatchObject({
      name: 'app',
      command: ['sh', '-c', 'echo $GREETING; test "$GREETING" = hi'],
      environment: [{ name: 'GREETING', value: 'hi' }],
    });
    expect(task).toMatchObject({ launchType: 'FARGATE', lastStatus: 'STOPPED' });
  });

  it("--wait exits with the essential container's exit code", async () => {
    const td = await register(ecs, [{ name: 'job' }, { name: 'side', essential: false, command: ['sleep', '600'], stopTimeout: 1 }]);
    const r = await skiff(['run', familyOf(td), '--cmd', 'sh', '-c', 'exit 7', '--wait']);
    expect(r.status, r.stderr).toBe(7);
    expect(r.stdout).toMatch(/stopped: Essential container in task exited \(exit 7\)/);
  });

  it('ps shows a running task with its port; stop <prefix> stops it; ps --all shows it stopped', async () => {
    const td = await register(ecs, [
      { name: 'web', portMappings: [{ containerPort: 80 }], stopTimeout: 1, command: ['sh', '-c', 'mkdir -p /www && httpd -f -p 80 -h /www'] },
    ]);
    const r = await skiff(['run', `${familyOf(td)}:1`]);
    expect(r.status, r.stderr).toBe(0);
    const { id, arn } = startedTask(r.stdout);
    await waitFor(ecs, arn, running);
    const ps = await skiff(['ps']);
    expect(ps.status, ps.stderr).toBe(0);
    expect(ps.stdout).toMatch(/^TASK {10}FAMILY:REV +STATUS +HEALTH +CREATED +PORTS +EXIT$/m);
    const row = new RegExp(`^${id.slice(0, 12)}  ${familyOf(td)}:1 +RUNNING +\\S+ +\\d+[smhd] ago +127\\.0\\.0\\.1:\\d+->80/tcp$`, 'm');
    expect(ps.stdout).toMatch(row);

    const short = await skiff(['stop', id.slice(0, 4)]);
    expect(short).toMatchObject({ status: 1, stderr: expect.stringMatching(/^skiff: '\w+' is not a task: .*at least the first 6 characters/) });
    const stop = await skiff(['stop', id.slice(0, 8), '--reason', 'cli test']);
    expect(stop.status, stop.stderr).toBe(0);
    expect(stop.stdout.trim()).toBe(id);
    const done = await waitFor(ecs, arn, stopped);
    expect(done).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'cli test' });

    expect((await skiff(['ps'])).stdout).not.toContain(id.slice(0, 12));
    const all = await skiff(['ps', '--all']);
    expect(all.stdout).toMatch(new RegExp(`^${id.slice(0, 12)}  .* STOPPED .* (137|143)$`, 'm'));
    const json = JSON.parse((await skiff(['ps', '--all', '--json'])).stdout) as { tasks: Array<{ taskArn: string }> };
    expect(json.tasks.map((t) => t.taskArn)).toContain(arn);
  });

  it('says what went wrong: an AWS error code, an unknown task, no server', async () => {
    const unknown = await skiff(['run', 'no-such-family-anywhere']);
    expect(unknown).toMatchObject({ status: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/^skiff: InvalidParameterException: .+\n$/);

    const noTask = await skiff(['stop', 'abcdef012345']);
    expect(noTask).toMatchObject({ status: 1, stderr: 'skiff: no task id starts with abcdef012345 (skiff ps --all lists them)\n' });

    const port = await closedPort();
    // the endpoint named outright, and the default one built from SKIFF_PORT
    for (const env of [{ SKIFF_ENDPOINT: `http://127.0.0.1:${port}` }, { SKIFF_ENDPOINT: '', SKIFF_PORT: String(port) }]) {
      const down = await skiff(['ps'], env);
      expect(down).toMatchObject({ status: 1, stdout: '' });
      expect(down.stderr).toBe(`skiff: no skiff server answers at http://127.0.0.1:${port}: start one with \`skiff up\`\n`);
    }
  });
});

describe('skiff logs', () => {
  it("prints a task's own output, after the fact and with run --follow", async () => {
    const td = await register(ecs, [{ name: 'app' }]);
    const r = await skiff(['run', familyOf(td), '--env', 'GREETING=hi', '--cmd', 'sh', '-c', 'echo $GREETING', '--wait']);
    expect(r.status, r.stderr).toBe(0);
    const { id } = startedTask(r.stdout);
    const out = await skiff(['logs', id]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toBe('hi\n');
    const followed = await skiff(['run', familyOf(td), '--env', 'GREETING=followed', '--cmd', 'sh', '-c', 'echo $GREETING; exit 2', '--follow']);
    expect(followed.status, followed.stderr).toBe(2);
    expect(followed.stdout).toMatch(/\nfollowed\ntask [0-9a-f]{12} stopped: Essential container in task exited \(exit 2\)\n$/);
  });

  it('follows a running task with -f, container by container, until it stops', async () => {
    const td = await register(ecs, [
      { name: 'app', command: ['sh', '-c', 'echo one; sleep 2; echo two'] },
      { name: 'side', essential: false, command: ['sh', '-c', 'echo beside; sleep 600'], stopTimeout: 1 },
    ]);
    const { id } = startedTask((await skiff(['run', familyOf(td)])).stdout);
    const followed = await skiff(['logs', '-f', id]);
    expect(followed.status, followed.stderr).toBe(0);
    const lines = followed.stdout.split('\n');
    expect(lines).toEqual(expect.arrayContaining(['app  | one', 'app  | two', 'side | beside']));
    expect(lines.indexOf('app  | two')).toBeGreaterThan(lines.indexOf('app  | one'));
    expect((await skiff(['logs', id, '--container', 'side'])).stdout).toBe('beside\n');
  });

  it('reads the awslogs streams of a task through GetLogEvents, prefixed per container, with --since and -f', async () => {
    const td = await register(ecs, [
      { name: 'app', command: ['sleep', '600'], stopTimeout: 1 },
      { name: 'side', essential: false, command: ['sleep', '600'], stopTimeout: 1 },
    ]);
    const { id, arn } = startedTask((await skiff(['run', familyOf(td)])).stdout);
    const now = Date.now();
    await put(`/ecs/${familyOf(td)}`, `ecs/app/${id}`, [
      [now - 3_600_000, 'an hour ago'],
      [now - 2000, 'app one'],
      [now, 'app two'],
    ]);
    await put(`/ecs/${familyOf(td)}`, `ecs/side/${id}`, [[now - 1000, 'side one']]);

    const all = await skiff(['logs', id.slice(0, 10)]);
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout).toContain('app  | an hour ago\napp  | app one\nside | side one\napp  | app two\n');
    const since = await skiff(['logs', id, '--since', '10m', '--container', 'app']);
    expect(since.stdout).toBe('app one\napp two\n');
    const bad = await skiff(['logs', id, '--since', 'yesterday']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/'yesterday' is neither a duration/);

    // -f prints what arrives while it follows, and ends by itself once the task has stopped
    const follow = skiff(['logs', '-f', arn, '--since', '10m']);
    await new Promise((r) => setTimeout(r, 1000));
    await put(`/ecs/${familyOf(td)}`, `ecs/side/${id}`, [[Date.now(), 'while following']]);
    await ecs.send(new StopTaskCommand({ task: arn }));
    const followed = await follow;
    expect(followed.status, followed.stderr).toBe(0);
    expect(followed.stdout).toContain('side | while following\n');
    expect((await describe1(ecs, arn)).lastStatus).toBe('STOPPED');
  });
});

describe('skiff build', () => {
  it('builds an image offline from a Dockerfile with COPY and RUN, which skiff run then runs', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-build-'));
    try {
      mkdirSync(path.join(dir, 'files'));
      writeFileSync(path.join(dir, 'files', 'msg.txt'), 'from-copy\n');
      writeFileSync(path.join(dir, 'Dockerfile'), 'FROM skiff-test/busybox:latest\nCOPY files/msg.txt /msg.txt\nRUN echo built > /built.txt\n');
      const image = `skiff-test/cli-build-${process.pid}:latest`;
      images.push(image);
      const b = await skiff(['build', dir, '-t', image]);
      expect(b.status, b.stderr).toBe(0);
      expect(b.stdout).toMatch(/Step 3\/3 : RUN echo built/);
      expect(b.stdout).toMatch(new RegExp(`^built ${image} \\(sha256:[0-9a-f]{64}\\)$`, 'm'));

      const td = await register(ecs, [{ name: 'app', image, command: ['sh', '-c', 'test "$(cat /msg.txt)" = from-copy && test "$(cat /built.txt)" = built'] }]);
      const r = await skiff(['run', familyOf(td), '--wait']);
      expect(r.status, r.stdout + r.stderr).toBe(0);

      writeFileSync(path.join(dir, 'Broken.Dockerfile'), 'FROM skiff-test/busybox:latest\nRUN exit 3\n');
      const broken = await skiff(['build', dir, '-t', `skiff-test/cli-broken-${process.pid}`, '-f', 'Broken.Dockerfile']);
      expect(broken.status).toBe(1);
      expect(broken.stderr).toMatch(/^skiff: build failed: .*returned a non-zero code: 3\n$/);
      const missing = await skiff(['build', path.join(dir, 'files'), '-t', 'x']);
      expect(missing).toMatchObject({ status: 1, stderr: `skiff: no Dockerfile in ${path.join(dir, 'files')}\n` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Writes events as the runner's log pump would, creating the group and stream if needed. */
async function put(group: string, stream: string, events: Array<[number, string]>): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch(ignoreExists);
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })).catch(ignoreExists);
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events.map(([timestamp, message]) => ({ timestamp, message })) }));
}

function ignoreExists(err: unknown): void {
  if (!(err instanceof Error && err.name === 'ResourceAlreadyExistsException')) throw err;
}

/** A port nothing listens on: bound, then closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}
