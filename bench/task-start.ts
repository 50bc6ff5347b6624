/**
 * Task start latency: RunTask → RUNNING on a running `skiff up` (Docker driver), for a
 * one-container task and a three-container task ordered by dependsOn, printed beside raw
 * `docker run -d` of the same image and command measured in the same run, interleaved.
 *
 *   npm run build && npm run bench:task-start      (BENCH_RUNS=20 BENCH_WARMUP=1 BENCH_POLL_MS=10)
 *
 * Per run, in a rotating order, one sample of each case:
 *   raw CLI      `docker run -d <image> sleep 300`: until the CLI returns, and until
 *                `inspect` (dockerode) first shows State.Running
 *   raw API      dockerode create + start of the same container (no CLI process)
 *   replica 1/3  skiff's own Docker call sequence for each task (sandbox, then the
 *                containers joining its network namespace; for three: init, its die
 *                event, app, side), with the create options of src/runtime/docker/mapping.ts,
 *                timed call by call through dockerode, with no control plane around it
 *   skiff 1 / 3  RunTask, then DescribeTasks every BENCH_POLL_MS until lastStatus is
 *                RUNNING (poll-observed), and the task's own startedAt − createdAt, on a
 *                skiff with its default pool of 2 started sandboxes (after each such case
 *                the bench waits for the pool to be refilled, so the replacement's start
 *                never overlaps another case)
 *   skiff 1, no pool   the same on a second skiff started with --sandbox-pool 0 (what the
 *                first task of a port set, or a burst beyond the pool, pays)
 *   raw CLI -p   `docker run -d -p 127.0.0.1::8080 …` until Running
 *   skiff port   a one-container task mapping port 8080, on the pooled skiff: the warm-up
 *                run teaches the pool that port set, so measured runs find a sandbox
 *                publishing it ready
 * Then a breakdown: the task's timestamps (createdAt → pullStartedAt → pullStoppedAt →
 * connectivityAt → startedAt), and the critical path split, with Docker's own
 * Created/StartedAt of each container, into time inside Docker and time between (the
 * control plane's share), beside the same split for the replica.
 * Runs are sequential (the build machines have 2 cores); every task is stopped (StopTask,
 * stopTimeout 1) and every container removed between runs. A single start that takes
 * more than 60 s aborts the benchmark.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ContainerDefinition,
  type Task,
} from '@aws-sdk/client-ecs';
import Database from 'better-sqlite3';
import Dockerode from 'dockerode';
import { containerCreateOptions, sandboxCreateOptions } from '../src/runtime/docker/mapping.js';
import { pauseImage } from '../src/runtime/docker/pause-image.js';
import { ROOT, startSkiff, stopProcess, type Started } from './processes.js';

const IMAGE = 'skiff-test/busybox:latest';
const COMMAND = ['sleep', '300'];
const RUNS = positive('BENCH_RUNS', 20);
const WARMUP = Math.max(0, Math.floor(Number(process.env['BENCH_WARMUP'] ?? 1)) || 0);
const POLL_MS = positive('BENCH_POLL_MS', 10);
/** Sandboxes the measured skiff keeps started per port set (its default). */
const POOL = 2;
/** The container port of the port-mapped case. */
const PORT = 8080;
/** Port sets the pooled skiff has learned (the port-mapped case teaches it its own). */
let poolSets = 1;
const START_LIMIT_MS = 60_000;
/** Our own label: never skiff's managed label, so no skiff instance touches our containers. */
const BENCH_LABEL = 'dev.skiff.bench';
const RUN_ID = `${process.pid}`;
const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-local'], assignPublicIp: 'ENABLED' as const } };

const docker = new Dockerode();

function positive(name: string, fallback: number): number {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
}

class Abort extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const now = (): number => performance.now();

/** `p`, or a clear Abort when it has not settled in `ms` (a Docker or skiff call that hangs). */
async function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Abort(`aborting: ${what} did not finish in ${ms / 1000} s (a Docker or skiff call hung)`)), ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Throws a clear Abort once a single start has taken longer than the limit. */
function checkDeadline(t0: number, what: string, detail: () => string): void {
  if (now() - t0 > START_LIMIT_MS) {
    throw new Abort(`aborting: ${what} took more than ${START_LIMIT_MS / 1000} s (${detail()})`);
  }
}

// ---------------------------------------------------------------- samples and output

type Samples = Map<string, number[]>;
function add(s: Samples, key: string, v: number): void {
  const list = s.get(key) ?? [];
  list.push(v);
  s.set(key, list);
}
function pct(values: readonly number[] | undefined, p: number): number {
  if (!values || values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}
const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '-');

// ---------------------------------------------------------------- skiff process

// ---------------------------------------------------------------- task definitions

function logging(family: string): ContainerDefinition['logConfiguration'] {
  return {
    logDriver: 'awslogs',
    options: { 'awslogs-group': `/ecs/${family}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
  };
}

async function register(ecs: ECSClient, family: string, containers: ContainerDefinition[]): Promise<string> {
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
      containerDefinitions: containers.map((c) => ({ image: IMAGE, stopTimeout: 1, logConfiguration: logging(family), ...c })),
    }),
  );
  const arn = out.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new Error(`RegisterTaskDefinition returned no ARN for ${family}`);
  return arn;
}

// ---------------------------------------------------------------- cases

interface SkiffSample {
  pollMs: number;
  ownMs: number;
  runTaskMs: number;
  task: Task;
  sentWall: number;
  seenWall: number;
}

async function describe(ecs: ECSClient, taskArn: string): Promise<Task> {
  const out = await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }));
  const t = out.tasks?.[0];
  if (!t) throw new Error(`DescribeTasks found no task ${taskArn}: ${JSON.stringify(out.failures)}`);
  return t;
}

async function skiffStart(ecs: ECSClient, taskDefinition: string, label: string, launched: string[]): Promise<SkiffSample> {
  const sentWall = Date.now();
  const t0 = now();
  const run = await ecs.send(new RunTaskCommand({ taskDefinition, launchType: 'FARGATE', networkConfiguration: NETWORK }));
  const runTaskMs = now() - t0;
  const arn = run.tasks?.[0]?.taskArn;
  if (!arn) throw new Error(`RunTask returned no task: ${JSON.stringify(run.failures)}`);
  launched.push(arn);
  let last: Task | undefined;
  for (;;) {
    last = await describe(ecs, arn);
    if (last.lastStatus === 'RUNNING') break;
    if (last.lastStatus === 'STOPPED') {
      throw new Abort(`aborting: ${label} task stopped instead of running: ${last.stopCode ?? ''} ${last.stoppedReason ?? ''}`);
    }
    const status = last.lastStatus;
    checkDeadline(t0, `${label} RunTask → RUNNING`, () => `still ${status ?? '?'}`);
    await sleep(POLL_MS);
  }
  const pollMs = now() - t0;
  const seenWall = Date.now();
  const ownMs = (last.startedAt?.getTime() ?? NaN) - (last.createdAt?.getTime() ?? NaN);
  return { pollMs, ownMs, runTaskMs, task: last, sentWall, seenWall };
}

async function skiffStop(ecs: ECSClient, taskArn: string): Promise<void> {
  await ecs.send(new StopTaskCommand({ task: taskArn, reason: 'benchmark run over' }));
  const t0 = now();
  for (;;) {
    const t = await describe(ecs, taskArn);
    if (t.lastStatus === 'STOPPED') return;
    checkDeadline(t0, 'StopTask → STOPPED', () => `still ${t.lastStatus ?? '?'}`);
    await sleep(50);
  }
}

function dockerCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { timeout: START_LIMIT_MS }, (err, stdout, stderr) => {
      if (err) reject(new Abort(`aborting: docker ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** Docker's RFC3339Nano time as epoch milliseconds with the fraction kept. */
function dockerTimeMs(text: string): number {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return NaN;
  return new Date(`${m[1]}${m[3]}`).getTime() + Number(`0.${m[2] ?? '0'}`) * 1000;
}

async function waitRunning(id: string, t0: number, what: string): Promise<Dockerode.ContainerInspectInfo> {
  for (;;) {
    const info = await docker.getContainer(id).inspect();
    if (info.State.Running) return info;
    if (info.State.Status === 'exited' || info.State.Status === 'dead') throw new Abort(`aborting: ${what} exited: ${info.State.Error}`);
    checkDeadline(t0, what, () => `still ${info.State.Status}`);
    await sleep(POLL_MS);
  }
}

const benchLabels = (): Record<string, string> => ({ [BENCH_LABEL]: RUN_ID });
let seq = 0;
const benchName = (what: string): string => `skiff-bench-${RUN_ID}-${what}-${++seq}`;

async function removeForce(id: string): Promise<void> {
  await docker.getContainer(id).remove({ force: true, v: true }).catch(() => undefined);
}

/** `docker run -d -p 127.0.0.1::8080`: the baseline of a task with a port mapping (Running only). */
async function rawCliPort(s: Samples, record: boolean): Promise<void> {
  const t0 = now();
  const id = await dockerCli(['run', '-d', '-p', `127.0.0.1::${PORT}`, '--label', `${BENCH_LABEL}=${RUN_ID}`, '--name', benchName('cli-port'), IMAGE, ...COMMAND]);
  try {
    await waitRunning(id, t0, 'docker run -d -p → Running');
    if (record) add(s, 'cliPortRunning', now() - t0);
  } finally {
    await removeForce(id);
  }
}

async function rawCli(s: Samples, breakdown: Samples, record: boolean): Promise<void> {
  const wall0 = Date.now();
  const t0 = now();
  const id = await dockerCli(['run', '-d', '--label', `${BENCH_LABEL}=${RUN_ID}`, '--name', benchName('cli'), IMAGE, ...COMMAND]);
  const returned = now() - t0;
  const returnedWall = Date.now();
  try {
    const info = await waitRunning(id, t0, 'docker run -d → Running');
    const running = now() - t0;
    if (!record) return;
    add(s, 'cli', returned);
    add(s, 'cliRunning', running);
    const created = dockerTimeMs(info.Created);
    const started = dockerTimeMs(info.State.StartedAt);
    add(breakdown, 'cli:spawn→Created', created - wall0);
    add(breakdown, 'cli:Created→StartedAt', started - created);
    add(breakdown, 'cli:StartedAt→CLI returns', returnedWall - started);
  } finally {
    await removeForce(id);
  }
}

async function rawApi(s: Samples, record: boolean): Promise<void> {
  const t0 = now();
  const c = await docker.createContainer({ name: benchName('api'), Image: IMAGE, Cmd: COMMAND, Labels: benchLabels() });
  try {
    const created = now() - t0;
    await c.start();
    const started = now() - t0;
    await waitRunning(c.id, t0, 'dockerode create+start → Running');
    const running = now() - t0;
    if (!record) return;
    add(s, 'api', started);
    add(s, 'apiRunning', running);
    add(s, 'api:create', created);
    add(s, 'api:start', started - created);
  } finally {
    await removeForce(c.id);
  }
}

/** Resolves when Docker reports `action` for the container (the stream skiff's runner wakes on). */
async function nextEvent(id: string, action: string): Promise<{ seen: Promise<void>; close: () => void }> {
  const stream = (await docker.getEvents({ filters: { container: [id], event: [action] } })) as NodeJS.ReadableStream & { destroy(): void };
  const seen = new Promise<void>((resolve) => stream.once('data', () => resolve()));
  return { seen, close: () => stream.destroy() };
}

/**
 * The Docker calls skiff makes for a one-container task (or the three-container task:
 * init, then app once init's die event arrived, then side), in skiff's order, with
 * skiff's create options (our label instead of skiff's managed one), timed one by one.
 */
async function replica(s: Samples, tl: Samples, pauseTag: string, cpus: number, containers: 1 | 3, record: boolean): Promise<void> {
  const key = containers === 1 ? 'replica' : 'replica3';
  const ids: string[] = [];
  const timings: Array<[string, number]> = [];
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = now();
    const r = await fn();
    timings.push([name, now() - t]);
    return r;
  };
  const own = (o: Dockerode.ContainerCreateOptions): Dockerode.ContainerCreateOptions => ({ ...o, Labels: benchLabels() });
  const noneFilter = { all: true, filters: { label: [`${BENCH_LABEL}=none`] } };
  const named = new Map<string, string>();
  const wall0 = Date.now();
  const t0 = now();
  try {
    await timed('list (stale sandbox)', () => docker.listContainers(noneFilter));
    const sbName = benchName('sandbox');
    const sb = await timed('create sandbox (bridge)', () =>
      docker.createContainer(own(sandboxCreateOptions({ name: sbName, labels: {}, ports: [] }, pauseTag))),
    );
    ids.push(sb.id);
    named.set('sandbox', sb.id);
    await timed('start sandbox', () => sb.start());
    await timed('inspect sandbox', () => sb.inspect());
    await timed('inspect image', () => docker.getImage(IMAGE).inspect());
    const sandbox = { id: sb.id, ports: [], ipAddress: undefined };
    const startOne = async (name: string, command: string[]): Promise<Dockerode.Container> => {
      await timed('list (stale container)', () => docker.listContainers(noneFilter));
      const spec = { name: benchName(name), image: IMAGE, command, environment: {}, cpuUnits: 256, cpuLimit: true, memoryMiB: 512, labels: {} };
      const c = await timed('create container (container: netns)', () => docker.createContainer(own(containerCreateOptions(sandbox, spec, { cpus }))));
      ids.push(c.id);
      named.set(name, c.id);
      await timed('start container', () => c.start());
      await timed('inspect container', () => c.inspect());
      return c;
    };
    let running: Dockerode.Container[];
    if (containers === 1) {
      running = [await startOne('app', COMMAND)];
    } else {
      const spec = { name: benchName('init'), image: IMAGE, command: ['sh', '-c', 'exit 0'], environment: {}, cpuUnits: 256, cpuLimit: true, memoryMiB: 512, labels: {} };
      await timed('list (stale container)', () => docker.listContainers(noneFilter));
      const init = await timed('create container (container: netns)', () => docker.createContainer(own(containerCreateOptions(sandbox, spec, { cpus }))));
      ids.push(init.id);
      named.set('init', init.id);
      const die = await nextEvent(init.id, 'die');
      try {
        await timed('start container', () => init.start());
        const t = now();
        await timed('inspect container', () => init.inspect());
        await Promise.race([die.seen, sleep(START_LIMIT_MS)]);
        if (record) add(s, 'replica3:init start returned → die event', now() - t);
      } finally {
        die.close();
      }
      await timed('inspect container', () => init.inspect());
      running = [await startOne('app', COMMAND), await startOne('side', COMMAND)];
    }
    // the ACTIVATING and RUNNING passes each inspect every running container
    await timed('inspect running ×2 passes', async () => {
      for (let pass = 0; pass < 2; pass++) for (const c of running) await c.inspect();
    });
    const wallEnd = Date.now();
    checkDeadline(t0, `replica of skiff's calls (${containers} containers)`, () => 'docker calls');
    if (!record) return;
    add(s, key, now() - t0);
    const info = new Map<string, Dockerode.ContainerInspectInfo>();
    for (const [name, id] of named) info.set(name, await docker.getContainer(id).inspect());
    segments(tl, key, wall0, wallEnd, containers === 1 ? ['sandbox', 'app'] : ['sandbox', 'init', 'app', 'side'], info);
    if (containers === 1) for (const [name, v] of timings) add(s, `replica:${name}`, v);
  } finally {
    for (const id of ids.reverse()) await removeForce(id);
  }
}

/**
 * Splits one skiff start into the time Docker spent (each container's Created → StartedAt,
 * as Docker records them) and the time between Docker's work (skiff's own: requests,
 * store writes, reconcile passes, the die-event wake-up), on the task's critical path.
 */
async function timeline(tl: Samples, key: string, task: Task, names: string[]): Promise<void> {
  const taskId = (task.taskArn ?? '').slice((task.taskArn ?? '').lastIndexOf('/') + 1);
  const found = await docker.listContainers({ all: true, filters: { label: [`dev.skiff.task=${taskId}`] } });
  const info = new Map<string, Dockerode.ContainerInspectInfo>();
  for (const c of found) {
    const name = c.Labels['dev.skiff.container'] ?? '';
    info.set(name === '~sandbox' ? 'sandbox' : name, await docker.getContainer(c.Id).inspect());
  }
  // a pooled sandbox carries no task label: it was started before the task, off its path
  const path = info.has('sandbox') ? ['sandbox', ...names] : names;
  segments(tl, key, task.createdAt?.getTime() ?? NaN, task.startedAt?.getTime() ?? NaN, path, info);
}

/** Records the skiff (between Docker's work) and docker segments of one start. */
function segments(tl: Samples, key: string, begin: number, end: number, names: string[], info: Map<string, Dockerode.ContainerInspectInfo>): void {
  const steps: Array<{ name: string; created: number; started: number; finished: number }> = [];
  for (const name of names) {
    const i = info.get(name);
    if (!i) return; // not all there (removed by someone else): no timeline for this sample
    steps.push({ name, created: dockerTimeMs(i.Created), started: dockerTimeMs(i.State.StartedAt), finished: dockerTimeMs(i.State.FinishedAt) });
  }
  let between = 0;
  let dockerMs = 0;
  let prev = begin;
  let prevName = 'begin';
  for (const step of steps) {
    const gap = step.created - prev;
    const work = step.started - step.created;
    add(tl, `${key}:between ${prevName} → ${step.name} Created`, gap);
    add(tl, `${key}:docker  ${step.name} Created → StartedAt`, work);
    between += gap;
    dockerMs += work;
    if (step.name === 'init') {
      add(tl, `${key}:init    runs: StartedAt → FinishedAt`, step.finished - step.started);
      dockerMs += step.finished - step.started;
      prev = step.finished;
      prevName = 'init FinishedAt';
    } else {
      prev = step.started;
      prevName = `${step.name} StartedAt`;
    }
  }
  add(tl, `${key}:between ${prevName} → end`, end - prev);
  between += end - prev;
  add(tl, `${key}:total   between Docker's Created → StartedAt spans`, between);
  add(tl, `${key}:total   inside them (and init's run)`, dockerMs);
}

// ---------------------------------------------------------------- SQLite commit cost

/** Median and p99 of one small synchronous=FULL WAL transaction, as skiff's store commits. */
function sqliteCommit(dir: string): { p50: number; p99: number } {
  const db = new Database(path.join(dir, 'probe.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
    db.prepare('INSERT INTO t VALUES (1, ?)').run('{}');
    const update = db.prepare('UPDATE t SET doc = ? WHERE id = 1');
    const tx = db.transaction((doc: string) => update.run(doc));
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const doc = JSON.stringify({ i, pad: 'x'.repeat(3000) });
      const t = now();
      tx(doc);
      times.push(now() - t);
    }
    return { p50: pct(times, 0.5), p99: pct(times, 0.99) };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------- main

async function preflight(): Promise<{ pauseTag: string; cpus: number }> {
  try {
    await docker.ping();
  } catch (err) {
    throw new Abort(`aborting: Docker Engine does not answer (${err instanceof Error ? err.message : String(err)}); make setup starts dockerd`);
  }
  try {
    await docker.getImage(IMAGE).inspect();
  } catch {
    throw new Abort(`aborting: image ${IMAGE} is not present; build it with scripts/setup.sh (it is never pulled)`);
  }
  const info = (await docker.info()) as { NCPU?: number };
  return { pauseTag: pauseImage().tag, cpus: info.NCPU || 1 };
}

async function main(): Promise<void> {
  const { pauseTag, cpus } = await preflight();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-bench-start-'));
  const noPoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-bench-start-nopool-'));
  const launched: string[] = [];
  let skiff: Started | undefined;
  let noPool: Started | undefined;
  let ecs: ECSClient | undefined;
  let ecsNoPool: ECSClient | undefined;
  const clientOf = (endpoint: string): ECSClient =>
    new ECSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  try {
    skiff = await startSkiff(dataDir, ['--sandbox-pool', String(POOL)]);
    noPool = await startSkiff(noPoolDir, ['--sandbox-pool', '0']);
    ecs = clientOf(skiff.endpoint);
    ecsNoPool = clientOf(noPool.endpoint);
    const client = ecs;
    const one = await register(client, 'bench-one', [{ name: 'app', essential: true, command: COMMAND }]);
    const oneNoPool = await register(ecsNoPool, 'bench-one', [{ name: 'app', essential: true, command: COMMAND }]);
    const noPoolClient = ecsNoPool;
    const withPort = await register(client, 'bench-port', [{ name: 'app', essential: true, command: COMMAND, portMappings: [{ containerPort: PORT }] }]);
    const three = await register(client, 'bench-three', [
      { name: 'init', essential: false, command: ['sh', '-c', 'exit 0'] },
      { name: 'app', essential: true, command: COMMAND, dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] },
      { name: 'side', essential: true, command: COMMAND, dependsOn: [{ containerName: 'app', condition: 'START' }] },
    ]);

    const s: Samples = new Map();
    const bd: Samples = new Map();
    const saves: Samples = new Map();
    const tl: Samples = new Map();
    const skiffCase = async (key: 'one' | 'three' | 'noPool' | 'port', td: string, record: boolean): Promise<void> => {
      const r = await skiffStart(key === 'noPool' ? noPoolClient : client, td, key === 'three' ? 'three-container' : 'one-container', launched);
      // from now on the pool keeps sandboxes for this port set too
      if (key === 'port') poolSets = 2;
      try {
        if (!record) return;
        add(s, `${key}Poll`, r.pollMs);
        add(s, `${key}Own`, r.ownMs);
        add(s, `${key}RunTask`, r.runTaskMs);
        if (key === 'port') return;
        const t = r.task;
        await timeline(tl, key, t, key === 'three' ? ['init', 'app', 'side'] : ['app']);
        if (key === 'noPool') return;
        const at = (d: Date | undefined): number => d?.getTime() ?? NaN;
        add(bd, `${key}:RunTask sent → createdAt`, at(t.createdAt) - r.sentWall);
        add(bd, `${key}:createdAt → pullStartedAt (sandbox)`, at(t.pullStartedAt) - at(t.createdAt));
        add(bd, `${key}:pullStartedAt → pullStoppedAt (image check)`, at(t.pullStoppedAt) - at(t.pullStartedAt));
        add(bd, `${key}:pullStoppedAt → connectivityAt (containers)`, at(t.connectivityAt) - at(t.pullStoppedAt));
        add(bd, `${key}:connectivityAt → startedAt (RUNNING)`, at(t.startedAt) - at(t.connectivityAt));
        add(bd, `${key}:startedAt → seen by DescribeTasks`, r.seenWall - at(t.startedAt));
        add(saves, key, t.version ?? NaN);
      } finally {
        const t = now();
        await skiffStop(key === 'noPool' ? noPoolClient : client, r.task.taskArn ?? '');
        if (record) add(s, `${key}Stop`, now() - t);
        // the pool's replacement sandbox must not start during another case's measurement
        if (key !== 'noPool') await poolRefilled();
      }
    };
    const cases: Array<[string, (record: boolean) => Promise<void>]> = [
      ['docker run -d', (rec) => rawCli(s, bd, rec)],
      ['dockerode create+start', (rec) => rawApi(s, rec)],
      ['replica, 1 container', (rec) => replica(s, tl, pauseTag, cpus, 1, rec)],
      ['replica, 3 containers', (rec) => replica(s, tl, pauseTag, cpus, 3, rec)],
      ['skiff, 1 container', (rec) => skiffCase('one', one, rec)],
      ['skiff, 1 container, no pool', (rec) => skiffCase('noPool', oneNoPool, rec)],
      ['skiff, 3 containers', (rec) => skiffCase('three', three, rec)],
      ['docker run -d -p', (rec) => rawCliPort(s, rec)],
      ['skiff, 1 container with a port mapping', (rec) => skiffCase('port', withPort, rec)],
    ];
    const total = WARMUP + RUNS;
    const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');
    process.stdout.write(`skiff ${await revision()}; Docker ${(await docker.version()).Version}; load average ${load()} on ${os.cpus().length} CPUs\n`);
    process.stdout.write(`task start: ${RUNS} runs per case (+${WARMUP} warm-up), sequential, order rotated per run; DescribeTasks polled every ${POLL_MS} ms\n`);
    for (let i = 0; i < total; i++) {
      const record = i >= WARMUP;
      for (let k = 0; k < cases.length; k++) {
        const c = cases[(i + k) % cases.length];
        // a start is bounded by 60 s where it polls; this also catches a call that never answers
        if (c) await bounded(c[1](record), 2 * START_LIMIT_MS + 10_000, `run ${i + 1}, ${c[0]} (start, stop and clean-up)`);
      }
      process.stdout.write(record ? '.' : 'w');
    }
    process.stdout.write(`\nload average at the end ${load()}\n\n`);
    report(s, bd, tl, saves, sqliteCommit(dataDir));
  } finally {
    ecs?.destroy();
    ecsNoPool?.destroy();
    if (skiff) await stopProcess(skiff.child);
    if (noPool) await stopProcess(noPool.child);
    await cleanup(launched);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(noPoolDir, { recursive: true, force: true });
  }
}

/** Waits (at most 10 s) until the pooled skiff has POOL started sandboxes again for each port set it learned. */
async function poolRefilled(): Promise<void> {
  const deadline = now() + 10_000;
  while (now() < deadline) {
    const ready = await docker.listContainers({ filters: { label: ['dev.skiff.pool=true'], status: ['running'] } });
    if (ready.length >= POOL * poolSets) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The commit measured, and whether src/ differs from it (dist/ is built from the work tree). */
function revision(): Promise<string> {
  return new Promise((resolve) => {
    execFile('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], (err, head) => {
      if (err) return resolve('(not a git checkout)');
      execFile('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src'], (err2, status) => {
        const dirty = !err2 && status.trim() !== '' ? ' with uncommitted changes in src/' : '';
        resolve(`at ${head.trim()}${dirty}`);
      });
    });
  });
}

/** Removes every container this run created: ours by label, skiff's by task id. */
async function cleanup(taskArns: string[]): Promise<void> {
  const ours = await docker.listContainers({ all: true, filters: { label: [`${BENCH_LABEL}=${RUN_ID}`] } });
  const taskIds = new Set(taskArns.map((a) => a.slice(a.lastIndexOf('/') + 1)));
  const skiffs = taskIds.size > 0 ? await docker.listContainers({ all: true, filters: { label: ['dev.skiff.managed=true'] } }) : [];
  const mine = skiffs.filter((c) => taskIds.has(c.Labels['dev.skiff.task'] ?? ''));
  for (const c of [...ours, ...mine]) await removeForce(c.Id);
}

function report(s: Samples, bd: Samples, tl: Samples, saves: Samples, commit: { p50: number; p99: number }): void {
  const base = s.get('cliRunning');
  const b50 = pct(base, 0.5);
  const b99 = pct(base, 0.99);
  const ratio = (v: number[] | undefined): string => `${(pct(v, 0.5) / b50).toFixed(2)} (p99 ${(pct(v, 0.99) / b99).toFixed(2)})`;
  const rows: Array<[string, string, string]> = [
    ['raw: docker run -d, until the CLI returns', 'cli', ''],
    ['raw: docker run -d, until inspect shows Running', 'cliRunning', 'baseline'],
    ['raw: dockerode create+start (no CLI)', 'api', ''],
    ['raw: dockerode create+start → Running', 'apiRunning', ''],
    ['replica: skiff\'s Docker calls, 1 container, own sandbox', 'replica', ''],
    ['skiff 1 container, --sandbox-pool 0: RunTask → RUNNING', 'noPoolPoll', ''],
    ['skiff 1 container, --sandbox-pool 0: startedAt−createdAt', 'noPoolOwn', ''],
    ['skiff 1 container, pooled sandbox: RunTask → RUNNING', 'onePoll', ''],
    ['skiff 1 container, pooled sandbox: startedAt−createdAt', 'oneOwn', ''],
    ['replica: skiff\'s Docker calls, 3 containers', 'replica3', ''],
    ['skiff 3 containers, pooled sandbox: RunTask → RUNNING', 'threePoll', ''],
    ['skiff 3 containers, pooled sandbox: startedAt−createdAt', 'threeOwn', ''],
    [`raw: docker run -d -p 127.0.0.1::${PORT} → Running`, 'cliPortRunning', ''],
    ['skiff 1 container + port, pooled: RunTask → RUNNING', 'portPoll', ''],
    ['skiff 1 container + port, pooled: startedAt−createdAt', 'portOwn', ''],
  ];
  console.log(['case'.padEnd(56), 'n'.padStart(3), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), '  ratio vs raw docker (p50, p99)'].join('  '));
  for (const [name, key, note] of rows) {
    const v = s.get(key);
    const r = note || ratio(v);
    console.log([name.padEnd(56), String(v?.length ?? 0).padStart(3), ms(pct(v, 0.5)).padStart(8), ms(pct(v, 0.99)).padStart(8), `  ${r}`].join('  '));
  }
  const oneP50 = pct(s.get('onePoll'), 0.5) / b50;
  const vsApi = pct(s.get('onePoll'), 0.5) / pct(s.get('apiRunning'), 0.5);
  const vsCli = pct(s.get('onePoll'), 0.5) / pct(s.get('cli'), 0.5);
  console.log(
    `\none-container ratio skiff/raw at p50: ${oneP50.toFixed(2)} vs docker run -d → Running; ${vsCli.toFixed(2)} vs the CLI returning; ` +
      `${vsApi.toFixed(2)} vs dockerode create+start → Running (target ≤ 1.3)`,
  );
  const over = (a: string, b: string): string => (pct(s.get(a), 0.5) / pct(s.get(b), 0.5)).toFixed(2);
  const noPoolP50 = pct(s.get('noPoolPoll'), 0.5) / b50;
  console.log(`without the pool (--sandbox-pool 0, the first task of a port set, or a burst beyond the pool): ${noPoolP50.toFixed(2)} at p50`);
  console.log(`with a port mapping, pooled, vs docker run -d -p → Running at p50: ${over('portPoll', 'cliPortRunning')}`);
  console.log(`skiff --sandbox-pool 0 over the replica of its own Docker calls (control-plane share) at p50: ${over('noPoolPoll', 'replica')}`);
  console.log(`(p99 of ${RUNS} samples is their maximum when runs < 100)`);

  console.log('\nbreakdown, median ms (from the task\'s own timestamps; wall clocks of one host)');
  for (const [key, v] of bd) console.log(`  ${key.padEnd(58)} ${ms(pct(v, 0.5)).padStart(7)}   p99 ${ms(pct(v, 0.99)).padStart(7)}`);
  console.log(`  one:RunTask request latency (SDK)                         ${ms(pct(s.get('oneRunTask'), 0.5)).padStart(7)}`);
  console.log(`  three:RunTask request latency (SDK)                       ${ms(pct(s.get('threeRunTask'), 0.5)).padStart(7)}`);
  console.log(`  StopTask → STOPPED (stopTimeout 1; not part of the start) 1 container ${ms(pct(s.get('oneStop'), 0.5))}, 3 containers ${ms(pct(s.get('threeStop'), 0.5))}`);
  console.log('\ncritical path of each skiff start, from Docker\'s Created/StartedAt/FinishedAt and the task\'s timestamps, median ms');
  console.log('  (begin: task createdAt, or the replica\'s first call; end: task startedAt, or the replica\'s last answer)');
  const titles = { noPool: '1 container, --sandbox-pool 0', one: '1 container, pooled sandbox', three: '3 containers, pooled sandbox' };
  for (const [task, rep] of [['noPool', 'replica'], ['one', 'replica'], ['three', 'replica3']] as const) {
    console.log(`  ${titles[task].padEnd(56)} ${'skiff'.padStart(7)} ${'replica'.padStart(8)} ${'skiff−replica'.padStart(14)}`);
    for (const [key, v] of tl) {
      if (!key.startsWith(`${task}:`)) continue;
      const segment = key.slice(task.length + 1);
      const a = pct(v, 0.5);
      const b = pct(tl.get(`${rep}:${segment}`), 0.5);
      console.log(`    ${segment.padEnd(54)} ${ms(a).padStart(7)} ${ms(b).padStart(8)} ${ms(a - b).padStart(14)}`);
    }
  }
  console.log('\nreplica: skiff\'s Docker calls for one container, median ms each');
  for (const [key, v] of s) {
    if (key.startsWith('replica:') && !key.includes('die event')) console.log(`  ${key.slice(8).padEnd(40)} ${ms(pct(v, 0.5)).padStart(7)}   p99 ${ms(pct(v, 0.99)).padStart(7)}`);
  }
  console.log(`  (raw dockerode: create ${ms(pct(s.get('api:create'), 0.5))}, start ${ms(pct(s.get('api:start'), 0.5))})`);
  const die = s.get('replica3:init start returned → die event');
  console.log(`  3 containers: init start returned → its die event ${ms(pct(die, 0.5))}   p99 ${ms(pct(die, 0.99))}`);
  const v1 = pct(saves.get('one'), 0.5);
  const v3 = pct(saves.get('three'), 0.5);
  console.log(
    `\nstore: task version at RUNNING (writes of the task record) ${v1} for 1 container, ${v3} for 3; ` +
      `one synchronous=FULL WAL commit here: p50 ${commit.p50.toFixed(2)} ms, p99 ${commit.p99.toFixed(2)} ms`,
  );
}

try {
  await main();
} catch (err) {
  if (err instanceof Abort) {
    console.error(`\n${err.message}`);
    // a hung call may still hold a socket open: exit rather than wait for it
    process.exit(1);
  } else {
    throw err;
  }
}
