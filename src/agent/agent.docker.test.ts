/**
 * The task metadata endpoint as a real container reaches it: a busybox container on the
 * default bridge network calls $ECS_CONTAINER_METADATA_URI_V4 on the bridge gateway, where
 * the agent listens. Skipped (with the reason in its title) when no Docker Engine answers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock, silentLogger } from '../core/index.js';
import { CONTAINER_LABEL, TASK_LABEL, type ContainerState, type LogLine } from '../runtime/index.js';
import { DOCKER_API_VERSION, DockerDriver } from '../runtime/docker/index.js';
import { createStore, openDatabase, type StoredTask } from '../store/index.js';
import { AgentServer } from './server.js';
import { loadAgentSecret } from './tokens.js';

const BUSYBOX = 'skiff-test/busybox:latest';
const TEST_LABEL = 'dev.skiff.test';
const RUN = `agent-${process.pid}-${Date.now().toString(36)}`;
const TASK_ID = Buffer.from(RUN.padEnd(16, '0').slice(0, 16)).toString('hex');
const TASK_ARN = `arn:aws:ecs:us-east-1:000000000000:task/default/${TASK_ID}`;
const TD_ARN = 'arn:aws:ecs:us-east-1:000000000000:task-definition/probe:1';
/** Splits what the container prints: the /task answer, then the /stats answer. */
const MARK = '----8<----';

const docker = new Dockerode({ version: DOCKER_API_VERSION });
const dockerAvailable = await docker.ping().then(
  () => true,
  () => false,
);
const title = dockerAvailable
  ? 'task metadata endpoint from inside a real container'
  : 'task metadata endpoint from inside a real container (SKIPPED: no Docker Engine answers at DOCKER_HOST or /var/run/docker.sock; run make setup)';

const driver = new DockerDriver({ docker });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-agent-docker-'));
const db = openDatabase(dir);
const store = createStore(db);
const agent = new AgentServer({ store, driver, clock: systemClock, logger: silentLogger, secret: loadAgentSecret(dir) });

afterAll(async () => {
  await agent.close();
  if (dockerAvailable) {
    const ours = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${RUN}`] } });
    await Promise.all(ours.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    await driver.close();
  }
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function task(): StoredTask {
  return {
    taskArn: TASK_ARN,
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    taskDefinitionArn: TD_ARN,
    lastStatus: 'PENDING',
    desiredStatus: 'RUNNING',
    createdAt: new Date(),
    cpu: '256',
    memory: '512',
    version: 1,
    containers: [{ name: 'probe', image: BUSYBOX, lastStatus: 'PENDING', cpu: '0', taskArn: TASK_ARN }],
    runtime: {},
  };
}

async function exited(id: string): Promise<ContainerState | undefined> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = await driver.inspect(id);
    if (state?.status === 'exited' || Date.now() > deadline) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function output(id: string): Promise<string> {
  const lines: LogLine[] = [];
  for await (const line of driver.logs(id, { follow: false })) lines.push(line);
  return lines.map((l) => l.message).join('\n');
}

describe.skipIf(!dockerAvailable)(title, { timeout: 60_000 }, () => {
  it('serves the task and the stats to a container on the default bridge through its gateway', async () => {
    const bridge = await docker.getNetwork('bridge').inspect();
    const gateway = (bridge as { IPAM?: { Config?: Array<{ Gateway?: string }> } }).IPAM?.Config?.[0]?.Gateway;
    expect(gateway, 'the default bridge network has a gateway').toBeTruthy();
    const addr = await agent.listen(gateway ?? '', 0);

    store.taskDefinitions.register('probe', (revision) => ({
      family: 'probe',
      revision,
      taskDefinitionArn: TD_ARN,
      status: 'ACTIVE',
      registeredAt: new Date(),
      containerDefinitions: [{ name: 'probe', image: BUSYBOX }],
    }));
    const t = task();
    const labels = (c: string): Record<string, string> => ({ [TEST_LABEL]: RUN, [TASK_LABEL]: TASK_ID, [CONTAINER_LABEL]: c });
    const sandbox = await driver.createSandbox({ name: `skiff-${RUN}`, labels: labels('~sandbox'), ports: [] });
    t.runtime = { sandboxId: sandbox.id, ipAddress: sandbox.ipAddress };
    store.tasks.create([t]);

    const script = `wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/task"; echo; echo '${MARK}'; wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/stats"; echo`;
    const id = await driver.createContainer(sandbox, {
      name: `skiff-${RUN}-probe`,
      image: BUSYBOX,
      command: ['sh', '-c', script],
      environment: agent.containerEnv(t, TASK_ID, 'probe', addr.url),
      labels: labels('probe'),
    });
    // saved before start, as the runner does: the first request may come at once
    Object.assign(t.containers?.[0] ?? {}, { runtimeId: id, lastStatus: 'RUNNING' });
    t.lastStatus = 'RUNNING';
    store.tasks.put(t);
    await driver.start(id);

    const state = await exited(id);
    const printed = await output(id);
    expect(state?.exitCode, printed).toBe(0);
    const [taskJson = '', statsJson = ''] = printed.split(MARK);
    const body = JSON.parse(taskJson) as { TaskARN: string; Containers: Array<Record<string, unknown>> };
    expect(body.TaskARN).toBe(TASK_ARN);
    expect(body.Containers[0]).toMatchObject({ Name: 'probe', DockerId: id, KnownStatus: 'RUNNING' });
    expect((body.Containers[0]?.Networks as Array<{ IPv4Addresses: string[] }>)[0]?.IPv4Addresses).toEqual([sandbox.ipAddress]);
    const stats = JSON.parse(statsJson) as { id?: string; memory_stats?: unknown };
    expect(stats.id).toBe(id);
    expect(stats.memory_stats).toBeDefined();
  });
});
