/**
 * The ContainerDriver conformance suite: one set of tests every driver runs (docker,
 * fake, later kubernetes), exercising the contract the way the task runner uses it.
 *
 * Each test container carries two scripts at once, and each driver follows the one it
 * understands:
 * - `command: ['sh', '-c', <shell>]` — what a real runtime executes (busybox sh under
 *   Docker), so the behaviour is real: exit codes, traps, sleeps, memory growth;
 * - `environment: { FAKE_*: ... }` — what the fake driver reads instead of running
 *   anything (vocabulary in fake/README.md). Real runtimes pass them through as plain
 *   variables, which the shell scripts ignore.
 * Keep the two in step when editing a test: same output, same exit, same timing.
 *
 * A driver that cannot do something lists the test's name in `skip` with the reason;
 * a name there that names no test fails the run, so skips cannot silently go stale.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTAINER_LABEL,
  ContainerStartError,
  ImagePullError,
  MANAGED_LABEL,
  SANDBOX_CONTAINER_NAME,
  TASK_LABEL,
  type ContainerDriver,
  type ContainerSpec,
  type ContainerState,
  type LogLine,
  type PortRequest,
  type Sandbox,
} from './contract.js';

export interface DriverConformanceOptions {
  name: string;
  newDriver: () => Promise<ContainerDriver> | ContainerDriver;
  /** An image with a POSIX shell and busybox tools (nc, sleep): 'skiff-test/busybox:latest' under Docker. */
  image: string;
  /** Test name → why this driver cannot pass it. */
  skip?: Record<string, string>;
  /** Multiplies every timeout (slow machines, remote engines). */
  timeoutScale?: number;
  /** Run the tests concurrently (each cleans up only what it created). */
  concurrent?: boolean;
  /** Why the driver cannot run on this machine (no daemon): the whole suite is skipped, saying so. */
  unavailable?: string | undefined;
}

/** What a test container does, said twice: for a shell and for the fake driver. */
interface Script {
  sh: string;
  fake: Record<string, string>;
}
const script = (sh: string, fake: Record<string, string> = {}): Script => ({ sh, fake });

/** Runs until killed; prints "ready" once its TERM trap is set, so a stop cannot race the trap. */
const serve = (onTerm: string, fake: Record<string, string> = {}): Script =>
  script(`trap '${onTerm}' TERM; echo ready; while :; do sleep 0.1; done`, { FAKE_STDOUT: 'ready', ...fake });
const UNTIL_STOPPED = serve('exit 0', { FAKE_TERM_EXIT_CODE: '0' });
const TCP_PONG = (port: number): Script => script(`while :; do echo pong | nc -l -p ${port}; done`);

/** Short enough that a verdict comes within a couple of seconds on any driver. */
const FAST_PROBES = { intervalSeconds: 1, timeoutSeconds: 1, retries: 1, startPeriodSeconds: 0 };
const MiB = 1024 * 1024;
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export function runDriverConformance(opts: DriverConformanceOptions): void {
  const scale = opts.timeoutScale ?? 1;
  const skip = opts.skip ?? {};
  const run = hex(3);
  let sequence = 0;
  let driver: ContainerDriver | undefined;
  const registered = new Set<string>();

  const test = (name: string, body: (t: Fixture) => Promise<void>, timeoutMs = 30_000): void => {
    registered.add(name);
    const reason = opts.unavailable ?? skip[name];
    if (reason !== undefined) {
      it.skip(`${name} (skipped: ${reason})`, () => {});
      return;
    }
    it(name, async () => {
      if (!driver) throw new Error('driver not created (beforeAll failed)');
      const t = new Fixture(driver, opts.image, () => `skiff-conf-${run}-${++sequence}`, scale);
      try {
        await body(t);
      } catch (err) {
        await t.cleanup().catch(() => undefined);
        throw err;
      }
      await t.cleanup();
    }, timeoutMs * scale);
  };

  // A driver that cannot run here still lists every test, each skipped with the reason.
  const suite = opts.unavailable !== undefined ? describe.skip : opts.concurrent ? describe.concurrent : describe;
  suite(`ContainerDriver conformance: ${opts.name}`, () => {
    beforeAll(async () => {
      driver = await opts.newDriver();
      await driver.ensureImage(opts.image);
    }, 120_000 * scale);
    afterAll(async () => {
      await driver?.close();
    });
    registerTests(test, opts.image);
    const stale = Object.keys(skip).filter((name) => !registered.has(name));
    if (stale.length > 0) throw new Error(`${opts.name}: skip names no conformance test: ${stale.join(', ')}`);
  });
}

type Register = (name: string, body: (t: Fixture) => Promise<void>, timeoutMs?: number) => void;

function registerTests(test: Register, image: string): void {
  registerCreateTests(test, image);
  registerRunTests(test);
  registerStopAndRemoveTests(test);
  registerListAndLogTests(test);
  registerHealthWatchAndStatsTests(test);
  registerNetworkTests(test);
}

function registerCreateTests(test: Register, image: string): void {
  test('ping resolves', async (t) => {
    await expect(t.driver.ping()).resolves.toBeUndefined();
  });

  test('ensureImage of a present image succeeds, twice', async (t) => {
    await t.driver.ensureImage(image);
    await t.driver.ensureImage(image);
  });

  test('ensureImage of a missing image fails fast with ImagePullError', async (t) => {
    const missing = 'skiff-test/does-not-exist:latest';
    const error: unknown = await t.driver.ensureImage(missing).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ImagePullError);
    expect((error as Error).message).toContain('does-not-exist');
  }, 15_000);

  test('inspect of an unknown id is undefined', async (t) => {
    expect(await t.driver.inspect(hex(32))).toBeUndefined();
  });

  test('a name already in use is refused with ContainerStartError', async (t) => {
    const name = t.name();
    await t.container(UNTIL_STOPPED, { name });
    await expect(t.container(UNTIL_STOPPED, { name })).rejects.toBeInstanceOf(ContainerStartError);
  });
}

function registerRunTests(test: Register): void {
  test('a created container is not started; started, it runs and exits 0', async (t) => {
    // Runs a little while: Docker stamps StartedAt after its own start call returns, so for a
    // process that exits at once its FinishedAt can precede StartedAt by a millisecond.
    const id = await t.container(script('echo hi; sleep 0.1', { FAKE_STDOUT: 'hi', FAKE_RUN_MS: '100' }));
    const created = await t.driver.inspect(id);
    expect(created).toMatchObject({ id, status: 'created', exitCode: undefined, startedAt: undefined });
    expect(created?.labels).toMatchObject({ [MANAGED_LABEL]: 'true', [TASK_LABEL]: t.task });
    await t.driver.start(id);
    const done = await t.exited(id);
    expect(done).toMatchObject({ status: 'exited', exitCode: 0, oomKilled: false, error: undefined });
    expect(done.health).toBeUndefined();
    expect(done.startedAt).toBeInstanceOf(Date);
    expect(done.finishedAt?.getTime()).toBeGreaterThanOrEqual(done.startedAt?.getTime() ?? Infinity);
  });

  test('the exit code is reported (3)', async (t) => {
    const id = await t.run(script('exit 3', { FAKE_RUN_MS: '50', FAKE_EXIT_CODE: '3' }));
    expect(await t.exited(id)).toMatchObject({ exitCode: 3, oomKilled: false });
  });

  test('start of a missing executable fails with ContainerStartError', async (t) => {
    const message = 'exec: "/no/such/executable": stat /no/such/executable: no such file or directory';
    const fake = { FAKE_FAIL_START: message };
    const id = await t.container(script(''), { command: ['/no/such/executable'], environment: fake });
    const error: unknown = await t.driver.start(id).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ContainerStartError);
    expect((error as Error).message).toMatch(/no such file|not found/i);
    const state = await t.driver.inspect(id);
    expect(state?.status).not.toBe('running');
    expect(state?.error).toEqual(expect.any(String));
    // a follower attached to a container that never ran must not wait forever
    expect(await collect(t.driver.logs(id, { follow: true }))).toEqual([]);
  });

  test('exceeding memoryMiB is an OOM kill: exit 137, oomKilled', async (t) => {
    // watched, as the task runner always is (a driver may learn of the kill from its events)
    const unwatch = t.driver.watch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const id = await t.run(script('x=a; while :; do x=$x$x; done', { FAKE_MEMORY_MIB: '64' }), { memoryMiB: 16 });
    expect(await t.exited(id)).toMatchObject({ exitCode: 137, oomKilled: true });
    unwatch();
  });
}

function registerStopAndRemoveTests(test: Register): void {
  test('stop sends TERM: a container trapping it exits with its own code', async (t) => {
    const id = await t.runReady(serve('exit 42', { FAKE_TERM_EXIT_CODE: '42' }));
    const started = performance.now();
    await t.driver.stop(id, 20);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await t.driver.inspect(id)).toMatchObject({ status: 'exited', exitCode: 42 });
  });

  test('stop escalates to KILL after the timeout when TERM is ignored (137)', async (t) => {
    const id = await t.runReady(serve('', { FAKE_IGNORE_SIGTERM: '1' }));
    const started = performance.now();
    await t.driver.stop(id, 1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(await t.driver.inspect(id)).toMatchObject({ status: 'exited', exitCode: 137, oomKilled: false });
  });

  test('stop of an exited or unknown container is not an error', async (t) => {
    const id = await t.run(script('true', { FAKE_RUN_MS: '0' }));
    await t.exited(id);
    await t.driver.stop(id, 1);
    await t.driver.stop(hex(32), 1);
    expect(await t.driver.inspect(id)).toMatchObject({ status: 'exited', exitCode: 0 });
  });

  test('remove kills a running container and is idempotent', async (t) => {
    const sandbox = await t.sandbox();
    const id = await t.run(UNTIL_STOPPED, {}, sandbox);
    await t.driver.remove(id);
    expect(await t.driver.inspect(id)).toBeUndefined();
    await t.driver.remove(id);
    await t.driver.remove(sandbox.id);
    await t.driver.remove(sandbox.id);
    expect(await t.driver.inspect(sandbox.id)).toBeUndefined();
    await t.driver.remove(hex(32));
  });
}

function registerListAndLogTests(test: Register): void {
  test('list filters by labels and returns only managed containers, sandboxes included', async (t) => {
    const sandbox = await t.sandbox();
    const make = (task: string, container: string): Promise<string> =>
      t.container(UNTIL_STOPPED, { labels: { [TASK_LABEL]: task, [CONTAINER_LABEL]: container } }, sandbox);
    const otherTask = hex(16);
    const web = await make(t.task, 'web');
    const worker = await make(t.task, 'worker');
    const other = await make(otherTask, 'web');
    const ids = async (labels?: Record<string, string>): Promise<string[]> =>
      (await t.driver.list(labels)).map((s) => s.id).sort();
    expect(await ids({ [TASK_LABEL]: t.task })).toEqual([sandbox.id, web, worker].sort());
    expect(await ids({ [TASK_LABEL]: t.task, [CONTAINER_LABEL]: 'web' })).toEqual([web]);
    expect(await ids({ [TASK_LABEL]: otherTask })).toEqual([other]);
    expect(await ids({ [TASK_LABEL]: hex(16) })).toEqual([]);
    const all = await t.driver.list();
    expect(all.map((s) => s.id)).toEqual(expect.arrayContaining([sandbox.id, web, worker, other]));
    for (const state of all) expect(state.labels[MANAGED_LABEL]).toBe('true');
  });

  test('logs with follow yield stdout and stderr in order and end when the container exits', async (t) => {
    const id = await t.run(
      script('echo out1; sleep 0.3; echo err1 >&2; sleep 0.3; echo out2', {
        FAKE_STDOUT: 'out1\n@600 out2',
        FAKE_STDERR: '@300 err1',
        FAKE_RUN_MS: '700',
      }),
    );
    const lines = await collect(t.driver.logs(id, { follow: true }));
    expect(lines.map((l) => `${l.stream}:${l.message}`)).toEqual(['stdout:out1', 'stderr:err1', 'stdout:out2']);
    const times = lines.map((l) => l.timestamp.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect((await t.driver.inspect(id))?.status).toBe('exited');
  });

  test('logs since a time skip earlier lines', async (t) => {
    const fake = { FAKE_STDOUT: 'early\n@1500 late', FAKE_RUN_MS: '1600' };
    const id = await t.run(script('echo early; sleep 1.5; echo late', fake));
    await t.exited(id);
    const all = await collect(t.driver.logs(id, { follow: false }));
    expect(all.map((l) => l.message)).toEqual(['early', 'late']);
    // half a second before "late" is a second after "early", so whole-second precision also works
    const since = new Date((all[1]?.timestamp.getTime() ?? 0) - 500);
    expect((await collect(t.driver.logs(id, { follow: false, since }))).map((l) => l.message)).toEqual(['late']);
  });
}

function registerHealthWatchAndStatsTests(test: Register): void {
  for (const [outcome, command] of [['healthy', 'true'], ['unhealthy', 'exit 1']] as const) {
    test(`a health check reaches ${outcome}`, async (t) => {
      const healthCheck = { command: ['CMD-SHELL', command], ...FAST_PROBES };
      const id = await t.run(serve('exit 0', { FAKE_HEALTH: outcome }), { healthCheck });
      expect((await t.driver.inspect(id))?.health).toBe('starting');
      await t.until(async () => (await t.driver.inspect(id))?.health === outcome, `health ${outcome}`);
      expect((await t.driver.inspect(id))?.status).toBe('running');
    });
  }

  test('watch calls back when a container exits and is removed, and not after unwatching', async (t) => {
    const seen = new Map<string, string[]>();
    // a reconciler treats the callback as a hint and re-reads; so does this test
    const unwatch = t.driver.watch((id) => {
      void t.driver.inspect(id).then((s) => seen.set(id, [...(seen.get(id) ?? []), s?.status ?? 'gone']));
    });
    const id = await t.run(script('sleep 1', { FAKE_RUN_MS: '1000' }));
    await t.until(() => seen.get(id)?.includes('exited'), 'a callback after the exit');
    await t.driver.remove(id);
    await t.until(() => seen.get(id)?.includes('gone'), 'a callback after the removal');
    unwatch();
    const later = await t.run(script('true', { FAKE_RUN_MS: '0' }));
    await t.exited(later);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen.has(later)).toBe(false);
  });

  test('stats of a running container, undefined once it has exited', async (t) => {
    const id = await t.runReady(UNTIL_STOPPED, { memoryMiB: 64 });
    const stats = await t.driver.stats(id);
    expect(stats?.read).toBeInstanceOf(Date);
    expect(stats?.memoryBytes).toBeGreaterThan(0);
    expect(stats?.memoryLimitBytes).toBe(64 * MiB);
    expect(stats?.cpuUnitsUsed).toBeGreaterThanOrEqual(0);
    await t.driver.stop(id, 10);
    expect(await t.driver.stats(id)).toBeUndefined();
  });
}

function registerNetworkTests(test: Register): void {
  test('createSandbox publishes ports on 127.0.0.1, distinct for two sandboxes', async (t) => {
    const requests: PortRequest[] = [8080, 9090].map((containerPort) => ({ containerPort, protocol: 'tcp' }));
    const sandboxes = [await t.sandbox(requests), await t.sandbox(requests)];
    for (const sandbox of sandboxes) {
      const ports = [...sandbox.ports].sort((a, b) => a.containerPort - b.containerPort);
      const published = ports.map((p) => `${p.hostIp} ${p.containerPort}/${p.protocol}`);
      expect(published).toEqual(['127.0.0.1 8080/tcp', '127.0.0.1 9090/tcp']);
      for (const p of ports) expect(p.hostPort).toBeGreaterThanOrEqual(1024);
      expect(await t.driver.inspect(sandbox.id)).toMatchObject({ status: 'running' });
    }
    const hostPorts = sandboxes.flatMap((s) => s.ports.map((p) => p.hostPort));
    expect(new Set(hostPorts).size).toBe(4);
  });

  test('containers in one sandbox reach each other on localhost', async (t) => {
    const sandbox = await t.sandbox();
    await t.run(TCP_PONG(7001), {}, sandbox);
    const retryConnect = 'for i in $(seq 100); do nc 127.0.0.1 7001 </dev/null && exit 0; sleep 0.1; done; exit 1';
    const client = await t.run(script(retryConnect), {}, sandbox);
    expect((await t.exited(client)).exitCode).toBe(0);
    expect((await collect(t.driver.logs(client, { follow: false }))).map((l) => l.message)).toContain('pong');
  });

  test('a published port reaches the container listening on it', async (t) => {
    const sandbox = await t.sandbox([{ containerPort: 7002, protocol: 'tcp' }]);
    await t.run(TCP_PONG(7002), {}, sandbox);
    const hostPort = sandbox.ports[0]?.hostPort ?? 0;
    await t.until(async () => (await readTcp(hostPort)).includes('pong'), `pong on 127.0.0.1:${hostPort}`);
  });
}

/** What one test created, removed afterwards whatever happened. */
class Fixture {
  readonly task = hex(16);
  private readonly created: string[] = [];
  private defaultSandbox: Sandbox | undefined;

  constructor(
    readonly driver: ContainerDriver,
    private readonly image: string,
    readonly name: () => string,
    private readonly scale: number,
  ) {}

  async sandbox(ports: PortRequest[] = []): Promise<Sandbox> {
    const labels = { [TASK_LABEL]: this.task, [CONTAINER_LABEL]: SANDBOX_CONTAINER_NAME };
    const sandbox = await this.driver.createSandbox({ name: this.name(), labels, ports });
    this.created.push(sandbox.id);
    return sandbox;
  }

  async container(s: Script, overrides: Partial<ContainerSpec> = {}, sandbox?: Sandbox): Promise<string> {
    const inside = sandbox ?? (this.defaultSandbox ??= await this.sandbox());
    const id = await this.driver.createContainer(inside, {
      name: this.name(),
      image: this.image,
      command: ['sh', '-c', s.sh],
      environment: s.fake,
      labels: { [TASK_LABEL]: this.task, [CONTAINER_LABEL]: 'app' },
      ...overrides,
    });
    this.created.push(id);
    return id;
  }

  async run(s: Script, overrides: Partial<ContainerSpec> = {}, sandbox?: Sandbox): Promise<string> {
    const id = await this.container(s, overrides, sandbox);
    await this.driver.start(id);
    return id;
  }

  /** Starts a `serve` script and waits for its "ready" line. */
  async runReady(s: Script, overrides: Partial<ContainerSpec> = {}): Promise<string> {
    const id = await this.run(s, overrides);
    const ready = async (): Promise<boolean> =>
      (await collect(this.driver.logs(id, { follow: false }))).some((l) => l.message === 'ready');
    await this.until(ready, `${id} to print "ready"`);
    return id;
  }

  async exited(id: string): Promise<ContainerState> {
    let state: ContainerState | undefined;
    await this.until(async () => (state = await this.driver.inspect(id))?.status === 'exited', `${id} to exit`);
    return state as ContainerState;
  }

  /** Polls until `check` holds; the test's own timeout is the backstop, this one names what was awaited. */
  async until(check: () => unknown, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = performance.now() + timeoutMs * this.scale;
    while (!(await check())) {
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Containers before their sandboxes, so nothing is left without its network. */
  async cleanup(): Promise<void> {
    const failures: unknown[] = [];
    for (const id of this.created.reverse()) await this.driver.remove(id).catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw new AggregateError(failures, `cleanup could not remove ${failures.length} object(s)`);
  }
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

/** Everything a TCP server on 127.0.0.1:port sends before closing; '' when it refuses. */
function readTcp(port: number): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(2_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(data));
  });
}
