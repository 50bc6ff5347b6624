import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../core/index.js';
import { FakeDriver, ManualTimers, type ContainerDriver, type Sandbox } from '../runtime/index.js';
import { createStore, openDatabase, type Db, type Store, type StoredTask } from '../store/index.js';
import { TaskCredentials } from '../iam/index.js';
import { AgentServer, type AgentAddress } from './server.js';
import { ContainerTokens, loadAgentSecret, SECRET_FILE } from './tokens.js';

const ACCOUNT = '000000000000';
const CLUSTER_ARN = `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/default`;
const TD_ARN = `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/web:1`;
const TASK_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TASK_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const taskArn = (id: string): string => `arn:aws:ecs:eu-west-1:${ACCOUNT}:task/default/${id}`;

let dir: string;
let db: Db;
let store: Store;
let secret: Buffer;
const timers = new ManualTimers(Date.UTC(2026, 0, 1));
const driver = new FakeDriver({ clock: timers, timers });
let agent: AgentServer;
let credentials: TaskCredentials;
let addr: AgentAddress;
/** Runtime ids by task id and container name. */
const ids: Record<string, Record<string, string>> = {};

function storedTask(taskId: string, names: string[]): StoredTask {
  return {
    taskArn: taskArn(taskId),
    clusterArn: CLUSTER_ARN,
    taskDefinitionArn: TD_ARN,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    createdAt: timers.now(),
    cpu: '256',
    memory: '512',
    launchType: 'FARGATE',
    availabilityZone: 'eu-west-1a',
    group: 'family:web',
    version: 1,
    containers: names.map((name) => ({ name, image: 'skiff-test/busybox:latest', lastStatus: 'PENDING', cpu: '0', taskArn: taskArn(taskId) })),
    runtime: { ipAddress: '127.0.0.1' },
  };
}

/** Runs the task's containers on the fake driver and records them as the runner would. */
async function runOnFake(task: StoredTask, taskId: string, env: Record<string, Record<string, string>>): Promise<void> {
  const sandbox: Sandbox = await driver.createSandbox({ name: `skiff-${taskId}`, labels: {}, ports: [] });
  task.runtime.sandboxId = sandbox.id;
  ids[taskId] = {};
  for (const c of task.containers ?? []) {
    const name = c.name ?? '';
    const id = await driver.createContainer(sandbox, {
      name: `skiff-${taskId}-${name}`,
      image: 'skiff-test/busybox:latest',
      environment: env[name] ?? {},
      labels: {},
    });
    await driver.start(id);
    Object.assign(c, { runtimeId: id, lastStatus: 'RUNNING' });
    ids[taskId][name] = id;
  }
}

async function get(url: string, init?: RequestInit): Promise<{ status: number; type: string | null; body: unknown }> {
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(await res.text()) as unknown };
}

function envOf(taskId: string, name: string, server = agent, base = addr.url): Record<string, string> {
  const task = store.tasks.get(taskId);
  if (!task) throw new Error(`no task ${taskId}`);
  return server.containerEnv(task, taskId, name, base);
}

const v4 = (taskId: string, name: string): string => envOf(taskId, name).ECS_CONTAINER_METADATA_URI_V4 ?? '';
const v3 = (taskId: string, name: string): string => envOf(taskId, name).ECS_CONTAINER_METADATA_URI ?? '';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-agent-'));
  db = openDatabase(dir);
  store = createStore(db);
  secret = loadAgentSecret(dir);
  credentials = new TaskCredentials(secret);
  store.taskDefinitions.register('web', (revision) => ({
    family: 'web',
    revision,
    taskDefinitionArn: TD_ARN,
    status: 'ACTIVE',
    registeredAt: timers.now(),
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      { name: 'app', image: 'skiff-test/busybox:latest' },
      { name: 'sidecar', image: 'skiff-test/busybox:latest', essential: false },
    ],
  }));
  const a = storedTask(TASK_A, ['app', 'sidecar']);
  await runOnFake(a, TASK_A, { sidecar: { FAKE_RUN_MS: '100', FAKE_EXIT_CODE: '3' } });
  const b = storedTask(TASK_B, ['app']);
  await runOnFake(b, TASK_B, {});
  timers.advance(1_000); // the sidecar exits
  a.containers![1]!.lastStatus = 'STOPPED';
  a.containers![1]!.exitCode = 3;
  store.tasks.create([a, b]);
  agent = new AgentServer({
    store,
    driver,
    clock: timers,
    logger: silentLogger,
    secret,
    issueCredentials: (arn, role, now) => credentials.issue(arn, role, now),
    api: (req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ api: `${req.method ?? ''} ${req.url ?? ''}` })),
  });
  addr = await agent.listen('127.0.0.1', 0);
});

afterAll(async () => {
  await agent.close();
  await driver.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('AgentServer', () => {
  it('listens on an ephemeral port and hands containers the variables Fargate sets', () => {
    expect(addr.port).toBeGreaterThan(0);
    expect(addr.url).toBe(`http://127.0.0.1:${addr.port}`);
    const env = envOf(TASK_A, 'app');
    expect(Object.keys(env).sort()).toEqual([
      'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_EXECUTION_ENV', 'AWS_REGION', 'ECS_AGENT_URI', 'ECS_CONTAINER_METADATA_URI', 'ECS_CONTAINER_METADATA_URI_V4',
    ]);
    expect(env.ECS_AGENT_URI).toBe(env.ECS_CONTAINER_METADATA_URI_V4?.replace('/v4/', '/api/'));
    expect(env.AWS_ENDPOINT_URL).toBe('http://169.254.170.2');
    expect(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI).toMatch(new RegExp(`^/v2/credentials/${TASK_A}-[A-Za-z0-9_-]{22}$`));
    expect(env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe(`http://169.254.170.2${env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ?? ''}`);
    expect(env).toMatchObject({ AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE', AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' });
    expect(env.ECS_CONTAINER_METADATA_URI_V4).toMatch(new RegExp(`^${addr.url}/v4/${TASK_A}-app-[A-Za-z0-9_-]{22}$`));
    expect(env.ECS_CONTAINER_METADATA_URI).toBe(env.ECS_CONTAINER_METADATA_URI_V4?.replace('/v4/', '/v3/'));
  });

  it('answers the container metadata of the container that asks', async () => {
    const res = await get(v4(TASK_A, 'app'));
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.body).toMatchObject({
      DockerId: ids[TASK_A]?.app,
      Name: 'app',
      KnownStatus: 'RUNNING',
      StartedAt: '2026-01-01T00:00:00Z',
    });
  });

  it('answers the task with all its containers, in version 4 and version 3', async () => {
    const task4 = (await get(`${v4(TASK_A, 'sidecar')}/task`)).body as Record<string, unknown>;
    expect(task4).toMatchObject({ TaskARN: taskArn(TASK_A), Family: 'web', Revision: '1', LaunchType: 'FARGATE' });
    const containers = task4.Containers as Array<Record<string, unknown>>;
    expect(containers.map((c) => [c.Name, c.KnownStatus, c.ExitCode, typeof c.FinishedAt])).toEqual([
      ['app', 'RUNNING', undefined, 'undefined'],
      ['sidecar', 'STOPPED', 3, 'string'],
    ]);
    const task3 = (await get(`${v3(TASK_A, 'sidecar')}/task`)).body as Record<string, unknown>;
    expect(task3).toMatchObject({ TaskARN: taskArn(TASK_A) });
    expect(task3).not.toHaveProperty('LaunchType');
    expect((task3.Containers as Array<Record<string, unknown>>)[0]?.Networks).toEqual([
      { NetworkMode: 'awsvpc', IPv4Addresses: ['127.0.0.1'] },
    ]);
  });

  it("passes the runtime's stats document through for the container and for the task", async () => {
    const appId = ids[TASK_A]?.app ?? '';
    const sidecarId = ids[TASK_A]?.sidecar ?? '';
    const expected = JSON.parse(JSON.stringify((await driver.stats(appId))?.raw)) as unknown;
    expect(expected).toMatchObject({ id: appId });
    expect((await get(`${v4(TASK_A, 'app')}/stats`)).body).toEqual(expected);
    expect((await get(`${v3(TASK_A, 'app')}/stats`)).body).toEqual(expected);
    // a container that exited cannot be sampled: {} in version 4, null in version 3, as AWS
    expect((await get(`${v4(TASK_A, 'app')}/task/stats`)).body).toEqual({ [appId]: expected, [sidecarId]: {} });
    expect((await get(`${v3(TASK_A, 'app')}/task/stats`)).body).toEqual({ [appId]: expected, [sidecarId]: null });
    const own = await get(`${v4(TASK_A, 'sidecar')}/stats`);
    expect(own).toMatchObject({ status: 500, body: `Unable to get container stats for: ${sidecarId}` });
  });

  it("never gives one task's token another task's data", async () => {
    const b = (await get(`${v4(TASK_B, 'app')}/task`)).body as Record<string, unknown>;
    expect(b.TaskARN).toBe(taskArn(TASK_B));
    expect(JSON.stringify(b)).not.toContain(TASK_A);
    const tokenA = v4(TASK_A, 'app').split('/v4/')[1] ?? '';
    const forged = [
      tokenA.replace(TASK_A, TASK_B), // another task id, same MAC
      tokenA.replace('-app-', '-sidecar-'), // another container, same MAC
      new ContainerTokens(randomBytes(32)).issue(TASK_B, 'app'), // signed with another secret
      tokenA.slice(0, -1) + (tokenA.endsWith('A') ? 'B' : 'A'), // MAC altered
      tokenA.slice(0, -1), // MAC truncated
      TASK_B,
    ];
    for (const token of forged) {
      for (const suffix of ['', '/task', '/stats', '/task/stats']) {
        const res = await get(`${addr.url}/v4/${token}${suffix}`);
        expect([token, suffix, res.status]).toEqual([token, suffix, 404]);
        expect(typeof res.body).toBe('string');
      }
    }
  });

  it('answers 404 with a JSON reason for any other metadata path, and for a task it does not know', async () => {
    const token = v4(TASK_A, 'app').split('/v4/')[1] ?? '';
    const unknownTask = new ContainerTokens(secret).issue('c'.repeat(32), 'app');
    // (paths outside /v2/credentials/, /v3/ and /v4/ are the API's)
    const paths = ['/v4/', `/v3/${token}/nope`, `/v4/${token}/`, `/v4/${token}/nope`, `/v4/${token}/task/`,
      `/v4/${token}/stats/x`, `/v4/${token}/taskWithTags`, `/v4/${unknownTask}`, `/v4/${unknownTask}/task`];
    for (const p of paths) {
      const res = await get(`${addr.url}${p}`);
      expect([p, res.status, res.type, typeof res.body]).toEqual([p, 404, 'application/json', 'string']);
    }
    expect((await get(`${addr.url}/v4/${unknownTask}/task`)).body).toBe(
      'V4 task metadata handler: unable to find the container of this endpoint',
    );
    const post = await get(v4(TASK_A, 'app'), { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
  });

  it('reads the task fresh on every request', async () => {
    const before = (await get(`${v4(TASK_B, 'app')}/task`)).body as Record<string, unknown>;
    expect(before.DesiredStatus).toBe('RUNNING');
    const task = store.tasks.get(TASK_B)!;
    task.desiredStatus = 'STOPPED';
    task.lastStatus = 'DEACTIVATING';
    store.tasks.put(task);
    const after = (await get(`${v4(TASK_B, 'app')}/task`)).body as Record<string, unknown>;
    expect([after.DesiredStatus, after.KnownStatus]).toEqual(['STOPPED', 'RUNNING']);
  });

  it('keeps issued URLs valid across a restart with the same data directory', async () => {
    expect(fs.statSync(path.join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(loadAgentSecret(dir).equals(secret)).toBe(true);
    const url = v4(TASK_A, 'app');
    const restarted = new AgentServer({ store, driver, clock: timers, logger: silentLogger, secret: loadAgentSecret(dir) });
    const again = await restarted.listen('127.0.0.1', 0);
    try {
      const res = await get(url.replace(addr.url, again.url));
      expect(res).toMatchObject({ status: 200, body: { Name: 'app' } });
    } finally {
      await restarted.close();
    }
  });

  it('still answers when the runtime fails, without what only the runtime knows', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
    const broken: Pick<ContainerDriver, 'inspect' | 'stats'> = {
      inspect: () => Promise.reject(new Error('engine gone')),
      stats: () => Promise.reject(new Error('engine gone')),
    };
    const server = new AgentServer({ store, driver: broken, clock: timers, logger, secret });
    const bound = await server.listen('127.0.0.1', 0);
    try {
      const url = server.containerEnv(store.tasks.get(TASK_A)!, TASK_A, 'app', bound.url).ECS_CONTAINER_METADATA_URI_V4;
      const res = await get(url ?? '');
      expect(res).toMatchObject({ status: 200, body: { Name: 'app', KnownStatus: 'RUNNING' } });
      expect(res.body).not.toHaveProperty('StartedAt');
      expect((await get(`${url}/stats`)).status).toBe(500);
      expect(warnings.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  describe('the credentials endpoint', () => {
    const credentialsUrl = (taskId: string): string => `${addr.url}${envOf(taskId, 'app').AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ?? ''}`;

    it('answers the task its credentials, with or without the authorization token of the full URI', async () => {
      const token = envOf(TASK_A, 'app').AWS_CONTAINER_AUTHORIZATION_TOKEN ?? '';
      const full = await get(credentialsUrl(TASK_A), { headers: { Authorization: token } });
      const relative = await get(credentialsUrl(TASK_A));
      expect(full.status).toBe(200);
      expect(full.body).toEqual(relative.body);
      const body = full.body as Record<string, string>;
      expect(body.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
      expect(body.SecretAccessKey).toHaveLength(40);
      expect(new Date(body.Expiration ?? '').getTime()).toBeGreaterThan(timers.now().getTime() + 5 * 3_600_000);
      // the key resolves to this task (the edge's check)
      const found = credentials.lookup(body.AccessKeyId ?? '', body.Token, timers.now());
      expect(found?.principal.taskArn).toBe(taskArn(TASK_A));
      expect(found?.secretAccessKey).toBe(body.SecretAccessKey);
    });

    it("gives each task its own credentials and refuses another task's authorization token", async () => {
      const a = (await get(credentialsUrl(TASK_A))).body as Record<string, string>;
      const b = (await get(credentialsUrl(TASK_B))).body as Record<string, string>;
      expect(a.AccessKeyId).not.toBe(b.AccessKeyId);
      const wrong = await get(credentialsUrl(TASK_A), { headers: { Authorization: envOf(TASK_B, 'app').AWS_CONTAINER_AUTHORIZATION_TOKEN ?? '' } });
      expect(wrong.status).toBe(401);
    });

    it('answers 404 to a path it did not issue', async () => {
      const forged = credentialsUrl(TASK_A).replace(TASK_A, TASK_B);
      expect((await get(forged)).status).toBe(404);
      expect((await get(`${addr.url}/v2/credentials/nothing`)).status).toBe(404);
    });

    it('hands every other request to the API', async () => {
      const res = await get(`${addr.url}/`, { method: 'POST', body: '{}' });
      expect(res.body).toEqual({ api: 'POST /' });
    });
  });
});
