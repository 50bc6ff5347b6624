import { describe, expect, it } from 'vitest';
import {
  ContainerStartError,
  ImagePullError,
  type ContainerSpec,
  type LogLine,
  type Sandbox,
} from '../contract.js';
import { EPHEMERAL_FIRST, FAKE_HOST_MEMORY_BYTES, FakeDriver, ManualTimers, parseFakeScript } from './index.js';

const IMAGE = 'app:1';
const MiB = 1024 * 1024;
const HEALTH = { command: ['CMD-SHELL', 'true'], intervalSeconds: 5, timeoutSeconds: 2, retries: 3, startPeriodSeconds: 0 };

/** A driver on hand-moved time: nothing happens between `advance` calls. */
function setup(images?: string[]): { driver: FakeDriver; time: ManualTimers; box: () => Promise<Sandbox> } {
  const time = new ManualTimers();
  const driver = new FakeDriver({ clock: time, timers: time, ...(images ? { images } : {}) });
  let n = 0;
  return { driver, time, box: () => driver.createSandbox({ name: `sandbox-${++n}`, labels: {}, ports: [] }) };
}

let names = 0;
function spec(environment: Record<string, string>, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return { name: `c-${++names}`, image: IMAGE, environment, labels: {}, ...extra };
}

async function started(driver: FakeDriver, sandbox: Sandbox, s: ContainerSpec): Promise<string> {
  const id = await driver.createContainer(sandbox, s);
  await driver.start(id);
  return id;
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('FakeDriver on manual time', () => {
  it('is deterministic: the same calls give the same ids, ports, timestamps and output', async () => {
    const scenario = async (): Promise<unknown> => {
      const { driver, time } = setup();
      const sandbox = await driver.createSandbox({ name: 's', labels: {}, ports: [{ containerPort: 80, protocol: 'tcp' }] });
      const id = await started(driver, sandbox, spec({ FAKE_STDOUT: 'a\n@250 b', FAKE_RUN_MS: '1000' }, { name: 'c' }));
      time.advance(1500);
      return { sandbox, state: await driver.inspect(id), logs: await collect(driver.logs(id, { follow: false })) };
    };
    const first = await scenario();
    expect(await scenario()).toEqual(first);
    expect(first).toMatchObject({ sandbox: { ports: [{ hostPort: EPHEMERAL_FIRST, hostIp: '127.0.0.1' }] } });
  });

  it('runs for FAKE_RUN_MS then exits with FAKE_EXIT_CODE, stamped by the injected clock', async () => {
    const { driver, time, box } = setup();
    const id = await started(driver, await box(), spec({ FAKE_RUN_MS: '2000', FAKE_EXIT_CODE: '5' }));
    const startedAt = time.now();
    time.advance(1999);
    expect((await driver.inspect(id))?.status).toBe('running');
    time.advance(1);
    expect(await driver.inspect(id)).toMatchObject({ status: 'exited', exitCode: 5, startedAt, finishedAt: time.now() });
  });

  it('without FAKE_RUN_MS runs until stopped; TERM exits 143 at once', async () => {
    const { driver, time, box } = setup();
    const id = await started(driver, await box(), spec({}));
    time.advance(3_600_000);
    expect((await driver.inspect(id))?.status).toBe('running');
    await driver.stop(id, 30);
    expect(await driver.inspect(id)).toMatchObject({ exitCode: 143 });
    expect(time.size).toBe(0);
  });

  it('FAKE_TERM_DELAY_MS: a graceful shutdown within the timeout keeps its code, a slow one is killed', async () => {
    const { driver, time, box } = setup();
    const sandbox = await box();
    const graceful = await started(driver, sandbox, spec({ FAKE_TERM_DELAY_MS: '3000', FAKE_TERM_EXIT_CODE: '0' }));
    const slow = await started(driver, sandbox, spec({ FAKE_TERM_DELAY_MS: '9000' }));
    const stops = [driver.stop(graceful, 5), driver.stop(slow, 5)];
    time.advance(3000);
    expect(await driver.inspect(graceful)).toMatchObject({ status: 'exited', exitCode: 0 });
    expect((await driver.inspect(slow))?.status).toBe('running');
    time.advance(2000);
    await Promise.all(stops);
    expect(await driver.inspect(slow)).toMatchObject({ status: 'exited', exitCode: 137 });
  });

  it('is healthy at the first probe when a health check is given without FAKE_HEALTH', async () => {
    const { driver, time, box } = setup();
    const id = await started(driver, await box(), spec({}, { healthCheck: HEALTH }));
    time.advance(4999);
    expect((await driver.inspect(id))?.health).toBe('starting');
    time.advance(1);
    expect((await driver.inspect(id))?.health).toBe('healthy');
  });

  it('counts failed probes only after the start period, and needs `retries` of them', async () => {
    const { driver, time, box } = setup();
    const check = { ...HEALTH, startPeriodSeconds: 12 };
    const id = await started(driver, await box(), spec({ FAKE_HEALTH: 'unhealthy' }, { healthCheck: check }));
    // probes at 5 s and 10 s fall in the start period; 15, 20 and 25 s count
    time.advance(20_000);
    expect((await driver.inspect(id))?.health).toBe('starting');
    time.advance(5_000);
    expect((await driver.inspect(id))?.health).toBe('unhealthy');
  });

  it('FAKE_UNHEALTHY_AFTER_MS turns a healthy container unhealthy', async () => {
    const { driver, time, box } = setup();
    const check = { ...HEALTH, retries: 1 };
    const id = await started(driver, await box(), spec({ FAKE_UNHEALTHY_AFTER_MS: '12000' }, { healthCheck: check }));
    time.advance(10_000);
    expect((await driver.inspect(id))?.health).toBe('healthy');
    time.advance(5_000);
    expect(await driver.inspect(id)).toMatchObject({ health: 'unhealthy', status: 'running' });
  });

  it('prints scripted lines at their times, and none after the process exits', async () => {
    const { driver, time, box } = setup();
    const t0 = time.now().getTime();
    const id = await started(driver, await box(), spec({
      FAKE_STDOUT: 'one\n@100 three\n@5000 never',
      FAKE_STDERR: 'two\n',
      FAKE_RUN_MS: '200',
    }));
    const follower = collect(driver.logs(id, { follow: true }));
    time.advance(10_000);
    const lines = await follower;
    expect(lines.map((l) => [l.stream, l.message, l.timestamp.getTime() - t0])).toEqual([
      ['stdout', 'one', 0],
      ['stderr', 'two', 0],
      ['stdout', 'three', 100],
    ]);
  });

  it('OOM-kills at start when FAKE_MEMORY_MIB exceeds memoryMiB, not without a limit', async () => {
    const { driver, box } = setup();
    const sandbox = await box();
    const limited = await started(driver, sandbox, spec({ FAKE_MEMORY_MIB: '300' }, { memoryMiB: 256 }));
    const unlimited = await started(driver, sandbox, spec({ FAKE_MEMORY_MIB: '300' }));
    expect(await driver.inspect(limited)).toMatchObject({ status: 'exited', exitCode: 137, oomKilled: true });
    expect(await driver.stats(unlimited)).toMatchObject({ memoryBytes: 300 * MiB, memoryLimitBytes: FAKE_HOST_MEMORY_BYTES });
  });

  it('reports FAKE_CPU_UNITS, capped by a hard cpu limit', async () => {
    const { driver, box } = setup();
    const sandbox = await box();
    const free = await started(driver, sandbox, spec({ FAKE_CPU_UNITS: '700' }, { cpuUnits: 512 }));
    const capped = await started(driver, sandbox, spec({ FAKE_CPU_UNITS: '700' }, { cpuUnits: 512, cpuLimit: true }));
    expect((await driver.stats(free))?.cpuUnitsUsed).toBe(700);
    expect((await driver.stats(capped))?.cpuUnitsUsed).toBe(512);
  });

  it('rejects a misspelt or malformed FAKE_* setting at create, naming it', async () => {
    const { driver, box } = setup();
    const sandbox = await box();
    await expect(driver.createContainer(sandbox, spec({ FAKE_RUN_SM: '5' }))).rejects.toThrow(/FAKE_RUN_SM/);
    await expect(driver.createContainer(sandbox, spec({ FAKE_EXIT_CODE: '300' }))).rejects.toThrow(ContainerStartError);
    await expect(driver.createContainer(sandbox, spec({ FAKE_HEALTH: 'ok' }))).rejects.toThrow(/FAKE_HEALTH/);
  });

  it('knows only the listed images when given a list', async () => {
    const { driver, box } = setup(['present:1']);
    await driver.ensureImage('present:1');
    await expect(driver.ensureImage('other:1')).rejects.toBeInstanceOf(ImagePullError);
    await expect(driver.createContainer(await box(), spec({}, { image: 'other:1' }))).rejects.toBeInstanceOf(ImagePullError);
  });

  it('does not reuse a released host port at once', async () => {
    const { driver } = setup();
    const ports = [{ containerPort: 80, protocol: 'tcp' as const }];
    const a = await driver.createSandbox({ name: 'a', labels: {}, ports });
    await driver.remove(a.id);
    const b = await driver.createSandbox({ name: 'b', labels: {}, ports });
    expect(b.ports[0]?.hostPort).toBe(EPHEMERAL_FIRST + 1);
  });

  it('refuses to start a container twice over, and starting a running one is a no-op', async () => {
    const { driver, box } = setup();
    const id = await started(driver, await box(), spec({ FAKE_RUN_MS: '0' }));
    await expect(driver.start(id)).rejects.toThrow(/already run/);
    const running = await started(driver, await box(), spec({}));
    await driver.start(running);
    expect((await driver.inspect(running))?.status).toBe('running');
  });

  it('delivers watch callbacks after the call that caused them, in order', async () => {
    const { driver, time, box } = setup();
    const sandbox = await box();
    const seen: string[] = [];
    driver.watch((id) => seen.push(id));
    const id = await driver.createContainer(sandbox, spec({ FAKE_RUN_MS: '10' }));
    await driver.start(id);
    time.advance(10);
    await Promise.resolve();
    expect(seen).toEqual([id, id, id]); // created, started, exited
  });

  it('close cancels every timer and ends followers', async () => {
    const { driver, time, box } = setup();
    const id = await started(driver, await box(), spec({ FAKE_RUN_MS: '1000', FAKE_STDOUT: '@500 late' }, { healthCheck: HEALTH }));
    const follower = collect(driver.logs(id, { follow: true }));
    await driver.close();
    expect(time.size).toBe(0);
    expect(await follower).toEqual([]);
    await expect(driver.ping()).rejects.toThrow(/closed/);
  });
});

describe('parseFakeScript', () => {
  it('orders delayed lines by time, stdout before stderr on a tie', () => {
    const script = parseFakeScript({ FAKE_STDOUT: '@10 b\na', FAKE_STDERR: '@10 c\n@5 x' });
    expect(script.lines.map((l) => `${l.atMs}:${l.stream}:${l.message}`)).toEqual([
      '0:stdout:a',
      '5:stderr:x',
      '10:stdout:b',
      '10:stderr:c',
    ]);
  });

  it('ignores variables that are not FAKE_*, and defaults to a healthy process that runs until stopped', () => {
    expect(parseFakeScript({ PATH: '/bin' })).toMatchObject({ runMs: undefined, health: 'healthy', termExitCode: 143 });
  });
});
