/**
 * DockerDriver against the real Docker Engine (these machines have one; `make setup`
 * starts it). Uses only local images: skiff-test/busybox and the pause image the driver
 * builds itself. Every container made here carries a per-run label and is removed after.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import Dockerode from 'dockerode';
import { CONTAINER_LABEL, ContainerStartError, ImagePullError, MANAGED_LABEL, TASK_LABEL } from '../contract.js';
import type { ContainerSpec, ContainerState, LogLine, PortRequest, Sandbox } from '../contract.js';
import { DOCKER_API_VERSION, DockerDriver } from './driver.js';
import { pauseImage } from './pause-image.js';

const BUSYBOX = 'skiff-test/busybox:latest';
const TEST_LABEL = 'dev.skiff.test';
const RUN = `docker-${process.pid}-${Date.now().toString(36)}`;

const docker = new Dockerode({ version: DOCKER_API_VERSION });
const dockerAvailable = await docker.ping().then(
  () => true,
  () => false,
);
const title = dockerAvailable
  ? 'DockerDriver on the real Docker Engine'
  : 'DockerDriver (SKIPPED: no Docker Engine answers at DOCKER_HOST or /var/run/docker.sock; run make setup)';

const driver = new DockerDriver({ docker });
let seq = 0;
const name = (what: string): string => `skiff-${RUN}-${what}-${++seq}`;
const labels = (container: string): Record<string, string> => ({ [TEST_LABEL]: RUN, [TASK_LABEL]: RUN, [CONTAINER_LABEL]: container });

async function sandbox(ports: PortRequest[] = []): Promise<Sandbox> {
  return driver.createSandbox({ name: name('sandbox'), labels: labels('~sandbox'), ports });
}

function spec(command: string[], extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return { name: name('c'), image: BUSYBOX, command, environment: {}, labels: labels('app'), ...extra };
}

/** Creates and starts a container in `box` (a new sandbox when absent). */
async function run(command: string[], extra: Partial<ContainerSpec> = {}, box?: Sandbox): Promise<string> {
  const id = await driver.createContainer(box ?? (await sandbox()), spec(command, extra));
  await driver.start(id);
  return id;
}

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exited = (id: string): Promise<ContainerState | undefined> =>
  waitFor(() => driver.inspect(id), (s) => s?.status === 'exited');

/** Whether process `pid` has a SIGTERM handler (undefined when /proc does not say: remote engine). */
async function catchesSigterm(pid: number): Promise<boolean | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const caught = status && /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (!caught) return undefined;
  return (BigInt(`0x${caught}`) & (1n << 14n)) !== 0n; // bit 14 is signal 15
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

afterAll(async () => {
  if (!dockerAvailable) return;
  await driver.close();
  const ours = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${RUN}`] } });
  await Promise.all(ours.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
});

describe.skipIf(!dockerAvailable)(title, { timeout: 30_000 }, () => {
  it('answers ping, and says how to start Docker when the engine is absent', async () => {
    await driver.ping();
    expect(await driver.hostAddress()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const nowhere = new DockerDriver({ docker: new Dockerode({ socketPath: '/nonexistent/docker.sock' }) });
    await expect(nowhere.ping()).rejects.toThrow(
      'Docker Engine does not answer at /nonexistent/docker.sock: start it (make setup starts dockerd) or use `skiff up --driver fake`',
    );
  });

  it('builds the pause image offline, and again when it was deleted', async () => {
    // a private tag: deleting the shared one would pull it from under concurrent users
    const image = { ...pauseImage(), tag: `skiff/pause:test-${RUN}` };
    const own = new DockerDriver({ docker, pauseImage: image });
    try {
      const first = await own.createSandbox({ name: name('own'), labels: labels('~sandbox'), ports: [] });
      const built = await docker.getImage(image.tag).inspect();
      expect(built.Config.Entrypoint).toEqual(['/pause']);
      expect(built.Size).toBeLessThan(4096);
      await own.remove(first.id);
      await docker.getImage(image.tag).remove();
      const second = await own.createSandbox({ name: name('own'), labels: labels('~sandbox'), ports: [] });
      expect((await own.inspect(second.id))?.status).toBe('running');
      await own.remove(second.id);
    } finally {
      await docker.getImage(image.tag).remove().catch(() => undefined);
    }
  });

  it('runs sandboxes on the pause image, stopping at once on TERM', async () => {
    const box = await sandbox();
    const info = await docker.getContainer(box.id).inspect();
    expect(info.Config.Image).toBe(pauseImage().tag);
    expect(info.State.Running).toBe(true);
    expect(info.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
    expect(info.Config.Labels[MANAGED_LABEL]).toBe('true');
    expect(box.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // the pause program exits on SIGTERM at once. A signal that comes before it has
    // installed its handler is dropped (it is PID 1), so wait for the handler to be there
    await waitFor(() => catchesSigterm(info.State.Pid), (caught) => caught !== false, 5_000);
    const started = Date.now();
    await driver.stop(box.id, 10);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await driver.inspect(box.id))?.exitCode).toBe(0);
  });

  it('shares localhost inside a sandbox and publishes its port on 127.0.0.1', async () => {
    const box = await sandbox([{ containerPort: 8080, protocol: 'tcp' }]);
    const port = box.ports[0];
    expect(port).toMatchObject({ containerPort: 8080, protocol: 'tcp', hostIp: '127.0.0.1' });
    await run(['sh', '-c', 'echo hello-from-server > /var/www/index.html && exec httpd -f -p 8080 -h /var/www'], {}, box);
    const client = await run(
      ['sh', '-c', 'for i in $(seq 1 100); do wget -qO- http://127.0.0.1:8080/ && exit 0; sleep 0.1; done; exit 1'],
      {},
      box,
    );
    expect((await exited(client))?.exitCode).toBe(0);
    const clientLogs = await collect(driver.logs(client, { follow: false }));
    expect(clientLogs.map((l) => l.message)).toContain('hello-from-server');
    const res = await fetch(`http://127.0.0.1:${port?.hostPort}/`);
    expect(await res.text()).toBe('hello-from-server\n');
    // the app container has no ports of its own: it lives in the sandbox's namespace
    const app = await docker.getContainer(client).inspect();
    expect(app.HostConfig.NetworkMode).toBe(`container:${box.id}`);
  });

  it('gives two sandboxes publishing the same container port different host ports', async () => {
    const [a, b] = await Promise.all([80, 80].map(() => sandbox([{ containerPort: 80, protocol: 'tcp' }])));
    const pa = a?.ports[0]?.hostPort;
    const pb = b?.ports[0]?.hostPort;
    expect(pa).toBeGreaterThan(0);
    expect(pb).toBeGreaterThan(0);
    expect(pa).not.toBe(pb);
  });

  it('records exit codes and times', async () => {
    const id = await run(['sh', '-c', 'exit 3']);
    const state = await exited(id);
    expect(state).toMatchObject({ status: 'exited', exitCode: 3, oomKilled: false, error: undefined, health: undefined });
    expect(state?.startedAt).toBeInstanceOf(Date);
    expect(state?.finishedAt?.getTime()).toBeGreaterThanOrEqual(state?.startedAt?.getTime() ?? Infinity);
  });

  it('OOM-kills a container that goes over its memory limit', async () => {
    // the task runner always watches; the watch sees the oom event live, which a busy engine's
    // event log may have dropped by the time the exit is inspected
    const unsubscribe = driver.watch(() => undefined);
    await new Promise((r) => setTimeout(r, 200)); // let the event stream connect
    const id = await run(['sh', '-c', 'x=$(head -c 67108864 /dev/zero | tr "\\0" a); echo survived ${#x}'], { memoryMiB: 16 });
    const state = await exited(id);
    unsubscribe();
    expect(state).toMatchObject({ status: 'exited', exitCode: 137, oomKilled: true });
    const info = await docker.getContainer(id).inspect();
    expect(info.HostConfig.Memory).toBe(16 * 1024 * 1024);
    expect(info.HostConfig.MemorySwap).toBe(16 * 1024 * 1024);
  });

  it('stop escalates to SIGKILL after the timeout, and lets a TERM handler choose the exit code', async () => {
    const box = await sandbox();
    const stubborn = await run(['sh', '-c', 'trap "" TERM; while :; do sleep 0.1; done'], {}, box);
    const polite = await run(['sh', '-c', 'trap "exit 7" TERM; while :; do sleep 0.1; done'], {}, box);
    await new Promise((r) => setTimeout(r, 300)); // let the shells install their traps
    let started = Date.now();
    await driver.stop(stubborn, 1);
    const killedAfter = Date.now() - started;
    expect(killedAfter).toBeGreaterThanOrEqual(900);
    expect(killedAfter).toBeLessThan(5_000);
    expect(await driver.inspect(stubborn)).toMatchObject({ status: 'exited', exitCode: 137 });
    started = Date.now();
    await driver.stop(polite, 10);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await driver.inspect(polite)).toMatchObject({ status: 'exited', exitCode: 7 });
    // stopping what is stopped or gone is no error; neither is removing twice
    await driver.stop(polite, 1);
    await driver.remove(polite);
    await driver.remove(polite);
    await driver.stop(polite, 1);
    expect(await driver.inspect(polite)).toBeUndefined();
  });

  it('fails fast with ImagePullError for an image that is not here', async () => {
    const started = Date.now();
    const err = await driver.ensureImage('skiff-test/no-such-image:1').catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(ImagePullError);
    expect((err as Error).message).toMatch(
      /^pull image manifest has been retried 1 time\(s\): failed to resolve ref docker\.io\/skiff-test\/no-such-image:1: ./,
    );
    expect(elapsed).toBeLessThan(15_000);
    await driver.ensureImage(BUSYBOX);
    await expect(driver.createContainer(await sandbox(), spec(['true'], { image: 'skiff-test/no-such-image:1' }))).rejects.toBeInstanceOf(
      ImagePullError,
    );
  });

  it('reports a refused start as ContainerStartError and an exited state with the error', async () => {
    const id = await driver.createContainer(await sandbox(), spec(['no-such-program']));
    const err = await driver.start(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerStartError);
    expect((err as Error).message).toContain('executable file not found');
    const state = await driver.inspect(id);
    expect(state?.status).toBe('exited');
    expect(state?.error).toContain('executable file not found');
  });

  it('runs health checks to healthy and unhealthy', async () => {
    const box = await sandbox();
    const check = { intervalSeconds: 1, timeoutSeconds: 1, retries: 1, startPeriodSeconds: 0 };
    const good = await run(['sleep', '30'], { healthCheck: { ...check, command: ['CMD-SHELL', 'test -d /tmp'] } }, box);
    const bad = await run(['sleep', '30'], { healthCheck: { ...check, command: ['CMD', 'false'] } }, box);
    expect((await driver.inspect(good))?.health).toBe('starting');
    const goodState = await waitFor(() => driver.inspect(good), (s) => s?.health !== 'starting');
    const badState = await waitFor(() => driver.inspect(bad), (s) => s?.health !== 'starting');
    expect(goodState?.health).toBe('healthy');
    expect(badState?.health).toBe('unhealthy');
  });

  it('follows logs until the container exits, stdout and stderr in order, with timestamps', async () => {
    const before = Date.now();
    const id = await driver.createContainer(
      await sandbox(),
      spec(['sh', '-c', 'echo one; sleep 0.2; echo two >&2; sleep 0.2; echo; printf three']),
    );
    // follow starts before the container does, and still sees its whole life
    const followed = collect(driver.logs(id, { follow: true }));
    await driver.start(id);
    const lines = await followed;
    expect(lines.map((l) => [l.stream, l.message])).toEqual([
      ['stdout', 'one'],
      ['stderr', 'two'],
      ['stdout', ''],
      ['stdout', 'three'],
    ]);
    const times = lines.map((l) => l.timestamp.getTime());
    expect(times[0]).toBeGreaterThanOrEqual(before - 1_000);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(150);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect((await driver.inspect(id))?.status).toBe('exited');
    // without follow: the same lines; `since` keeps lines at or after it
    expect(await collect(driver.logs(id, { follow: false }))).toEqual(lines);
    const since = await collect(driver.logs(id, { follow: false, since: lines[1]!.timestamp }));
    expect(since.map((l) => l.message)).toEqual(['two', '', 'three']);
  });

  it('samples stats of a running container and none of a stopped one', async () => {
    const id = await run(['sh', '-c', 'while :; do :; done'], { cpuUnits: 512, cpuLimit: true, memoryMiB: 32 });
    const stats = await driver.stats(id);
    expect(stats?.memoryLimitBytes).toBe(32 * 1024 * 1024);
    expect(stats?.memoryBytes).toBeGreaterThan(0);
    // capped at half a core (512 units); less when other work competes for the CPUs
    expect(stats?.cpuUnitsUsed).toBeGreaterThan(0);
    expect(stats?.cpuUnitsUsed).toBeLessThan(700);
    await driver.stop(id, 0);
    expect(await driver.stats(id)).toBeUndefined();
  });

  it('watch reports start and die of managed containers, until unsubscribed', async () => {
    const seen: string[] = [];
    const unsubscribe = driver.watch((id) => seen.push(id));
    await new Promise((r) => setTimeout(r, 200)); // let the event stream connect
    const id = await run(['true']);
    await exited(id);
    await waitFor(async () => seen.filter((s) => s === id).length, (n) => n >= 2, 5_000);
    expect(seen.filter((s) => s === id).length).toBeGreaterThanOrEqual(2);
    unsubscribe();
    const count = seen.length;
    await run(['true']);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBe(count);
  });

  it('lists only managed containers and never touches others', async () => {
    const stranger = await docker.createContainer({ name: name('stranger'), Image: BUSYBOX, Cmd: ['sleep', '30'], Labels: { [TEST_LABEL]: RUN } });
    await stranger.start();
    const box = await sandbox();
    const app = await run(['sleep', '30'], {}, box);
    const mine = await driver.list({ [TEST_LABEL]: RUN });
    const ids = mine.map((s) => s.id);
    expect(ids).toContain(box.id);
    expect(ids).toContain(app);
    expect(ids).not.toContain(stranger.id);
    expect((await driver.list()).map((s) => s.id)).not.toContain(stranger.id);
    const onlyApp = await driver.list({ [TEST_LABEL]: RUN, [CONTAINER_LABEL]: 'app', [TASK_LABEL]: RUN });
    expect(onlyApp.every((s) => s.labels[CONTAINER_LABEL] === 'app')).toBe(true);
    await Promise.all(mine.map((s) => driver.remove(s.id)));
    expect(await driver.list({ [TEST_LABEL]: RUN })).toEqual([]);
    expect((await stranger.inspect()).State.Running).toBe(true);
  });
});
