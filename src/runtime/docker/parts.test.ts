/** The Docker driver's pure parts, with no engine: encoders, parsers and mappings. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ImagePullError, MANAGED_LABEL } from '../contract.js';
import type { LogLine } from '../contract.js';
import { changedContainer, EventWatcher } from './events.js';
import { ensureImage, pullErrorMessage, qualifiedReference } from './images.js';
import { dockerSince, followLogs, frames, logLines } from './logs.js';
import { containerCreateOptions, stateFromInspect } from './mapping.js';
import { OomLedger } from './oom.js';
import { arm64Encoders, pauseElf } from './pause-elf.js';
import { pauseImage } from './pause-image.js';
import { cpuUnitsUsed, memoryBytes } from './stats.js';
import { tar } from './tar.js';
import { parseDockerTime } from './util.js';
import { silentLogger } from '../../core/logger.js';

const frame = (kind: 1 | 2, text: string): Buffer => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = kind;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('pause program', () => {
  it('is a static ELF executable with one loadable segment', () => {
    for (const arch of ['x64', 'arm64'] as const) {
      const elf = pauseElf(arch);
      expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(elf.readUInt16LE(18)).toBe(arch === 'x64' ? 62 : 183);
      expect(elf.readUInt16LE(56)).toBe(1);
      expect(Number(elf.readBigUInt64LE(64 + 32))).toBe(elf.length);
      expect(elf.length).toBeLessThan(512);
    }
  });

  it('encodes aarch64 instructions as the architecture manual does', () => {
    expect(arm64Encoders.movz(8, 93).toString(16)).toBe('d2800ba8');
    expect(arm64Encoders.branch(-28).toString(16)).toBe('17fffff9');
    expect(arm64Encoders.adr(1, 80).toString(16)).toBe('10000281');
  });

  it.skipIf(process.arch !== 'x64' || process.platform !== 'linux')('runs here until SIGTERM, then exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-pause-'));
    try {
      const file = join(dir, 'pause');
      writeFileSync(file, pauseElf('x64'), { mode: 0o755 });
      const child = spawn(file);
      await new Promise((r) => setTimeout(r, 200));
      expect(child.exitCode).toBeNull();
      const exit = new Promise<[number | null, string | null]>((r) => child.on('exit', (code, signal) => r([code, signal])));
      child.kill('SIGTERM');
      expect(await exit).toEqual([0, null]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is tagged by a hash of its build context', () => {
    expect(pauseImage('x64').tag).toMatch(/^skiff\/pause:[0-9a-f]{12}$/);
    expect(pauseImage('x64').tag).not.toBe(pauseImage('arm64').tag);
    expect(() => pauseImage('s390x')).toThrow(/s390x/);
  });
});

describe('tar', () => {
  it('writes an archive that tar reads back', () => {
    const archive = tar([
      { name: 'Dockerfile', content: Buffer.from('FROM scratch\n'), mode: 0o644 },
      { name: 'pause', content: Buffer.alloc(700, 7), mode: 0o755 },
    ]);
    expect(archive.length % 512).toBe(0);
    const listing = execFileSync('tar', ['-tvf', '-'], { input: archive }).toString();
    expect(listing).toMatch(/-rw-r--r-- .* 13 .*Dockerfile/);
    expect(listing).toMatch(/-rwxr-xr-x .* 700 .*pause/);
    expect(execFileSync('tar', ['-xOf', '-', 'Dockerfile'], { input: archive }).toString()).toBe('FROM scratch\n');
  });
});

describe('log stream', () => {
  const ts = (s: string): string => `2024-05-01T12:00:0${s}Z`;

  it('demultiplexes frames cut anywhere, joins partial lines, keeps timestamps', async () => {
    const bytes = Buffer.concat([
      frame(1, `${ts('0.123456789')} one\n`),
      frame(2, `${ts('1.5')} two\r\n`),
      frame(1, `${ts('2')} thr`),
      frame(1, `${ts('3')} ee\n`),
      frame(1, `${ts('4.000000001')} tail`),
    ]);
    const chunks = [...Array(bytes.length).keys()].filter((i) => i % 5 === 0).map((i) => bytes.subarray(i, i + 5));
    const lines = await all(logLines(frames((async function* () { yield* chunks; })())));
    expect(lines).toEqual<LogLine[]>([
      { stream: 'stdout', timestamp: new Date('2024-05-01T12:00:00.123Z'), message: 'one' },
      { stream: 'stderr', timestamp: new Date('2024-05-01T12:00:01.500Z'), message: 'two' },
      { stream: 'stdout', timestamp: new Date('2024-05-01T12:00:02.000Z'), message: 'three' },
      { stream: 'stdout', timestamp: new Date('2024-05-01T12:00:04.000Z'), message: 'tail' },
    ]);
  });

  it('keeps lines at or after since', async () => {
    const body = [frame(1, `${ts('1')} a\n`), frame(1, `${ts('2')} b\n`), frame(1, `${ts('3')} c\n`)];
    const lines = await all(logLines(frames(body), new Date(ts('2'))));
    expect(lines.map((l) => l.message)).toEqual(['b', 'c']);
    expect(dockerSince(new Date('2024-05-01T12:00:02.050Z'))).toBe('1714564802.050000000');
  });

  it('after a follow ends, delivers what it missed exactly once', async () => {
    const followed = [frame(1, `${ts('1')} a\n`), frame(1, `${ts('2')} b\n`), frame(2, `${ts('2')} c\n`)];
    const whole = [...followed, frame(1, `${ts('2')} d\n`), frame(1, `${ts('3')} e`)];
    const asked: [boolean, Date | undefined][] = [];
    const fetch = async (follow: boolean, since: Date | undefined): Promise<Buffer[]> => {
      asked.push([follow, since]);
      // Docker's since keeps entries at or after it
      return follow ? followed : whole.filter((f) => !since || new Date(f.subarray(8, 28).toString()) >= since);
    };
    const lines = await all(followLogs(fetch, undefined, async () => undefined));
    expect(lines.map((l) => l.message)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(asked).toEqual([[true, undefined], [false, new Date(ts('2'))]]);
  });

  it('parses Docker times, with the zero time as never', () => {
    expect(parseDockerTime('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(parseDockerTime('2024-05-01T12:00:00Z')).toEqual(new Date('2024-05-01T12:00:00.000Z'));
    expect(parseDockerTime('2024-05-01T12:00:00.9876543+02:00')).toEqual(new Date('2024-05-01T10:00:00.987Z'));
    expect(parseDockerTime('garbage')).toBeUndefined();
  });
});

describe('stats', () => {
  it('counts 1024 units per busy core between the two samples', () => {
    const doc = {
      cpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 12_000_000_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 10_000_000_000, online_cpus: 2 },
    };
    // 1 s of CPU over 2 s of all-cores time on 2 cores: one core busy
    expect(cpuUnitsUsed(doc)).toBe(1024);
    expect(cpuUnitsUsed({ ...doc, precpu_stats: {} })).toBe(0);
  });

  it('leaves the page cache out of memory (cgroup v1 cache, v2 inactive_file)', () => {
    expect(memoryBytes({ memory_stats: { usage: 1000, stats: { cache: 300, inactive_file: 100 } } })).toBe(700);
    expect(memoryBytes({ memory_stats: { usage: 1000, stats: { inactive_file: 100 } } })).toBe(900);
  });
});

describe('mapping', () => {
  const sandbox = { id: 'abc', ports: [], ipAddress: undefined };
  const base = { name: 'n', image: 'i', environment: { A: '1', B: 'x=y' }, labels: { l: 'v' } };

  it('maps a container spec onto Docker create options', () => {
    const options = containerCreateOptions(
      sandbox,
      {
        ...base,
        entryPoint: ['sh'],
        command: ['-c', 'true'],
        cpuUnits: 4096,
        cpuLimit: true,
        memoryMiB: 64,
        memoryReservationMiB: 32,
        ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }],
        healthCheck: { command: ['CMD', 'true'], intervalSeconds: 5, timeoutSeconds: 2, retries: 3, startPeriodSeconds: 1 },
      },
      { cpus: 2 },
    );
    expect(options).toMatchObject({
      Entrypoint: ['sh'],
      Cmd: ['-c', 'true'],
      Env: ['A=1', 'B=x=y'],
      Labels: { l: 'v', [MANAGED_LABEL]: 'true' },
      Tty: false,
      Healthcheck: { Test: ['CMD', 'true'], Interval: 5e9, Timeout: 2e9, Retries: 3, StartPeriod: 1e9 },
      HostConfig: {
        NetworkMode: 'container:abc',
        NanoCpus: 2e9, // 4 vCPU asked, 2 on this host
        Memory: 64 * 1024 * 1024,
        MemorySwap: 64 * 1024 * 1024,
        MemoryReservation: 32 * 1024 * 1024,
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
        SecurityOpt: ['no-new-privileges'],
        Privileged: false,
      },
    });
    expect(options.HostConfig?.PortBindings).toBeUndefined();
    expect(containerCreateOptions(sandbox, { ...base, cpuUnits: 0 }, { cpus: 2 }).HostConfig?.CpuShares).toBe(2);
    expect(containerCreateOptions(sandbox, { ...base, cpuUnits: 256 }, { cpus: 2 }).HostConfig?.CpuShares).toBe(256);
  });

  it('reports a container Docker could not start as exited with its error', () => {
    const info = {
      Id: 'x',
      Name: '/n',
      Config: { Labels: { a: 'b' } },
      State: { Status: 'created', Running: false, OOMKilled: false, ExitCode: 127, Error: 'exec: "x": not found', StartedAt: '0001-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' },
    } as unknown as Dockerode.ContainerInspectInfo;
    expect(stateFromInspect(info)).toMatchObject({ name: 'n', status: 'exited', exitCode: 127, error: 'exec: "x": not found', startedAt: undefined });
    const fresh = { ...info, State: { ...info.State, ExitCode: 0, Error: '' } } as Dockerode.ContainerInspectInfo;
    expect(stateFromInspect(fresh)).toMatchObject({ status: 'created', exitCode: undefined, error: undefined });
  });
});

describe('images', () => {
  it('names references as the ECS agent does', () => {
    expect(qualifiedReference('nginx')).toBe('docker.io/library/nginx:latest');
    expect(qualifiedReference('me/app:1')).toBe('docker.io/me/app:1');
    expect(qualifiedReference('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(qualifiedReference('123.dkr.ecr.us-east-1.amazonaws.com/app@sha256:ab')).toBe('123.dkr.ecr.us-east-1.amazonaws.com/app@sha256:ab');
    expect(pullErrorMessage('app', 'no such host')).toBe(
      'pull image manifest has been retried 1 time(s): failed to resolve ref docker.io/library/app:latest: no such host',
    );
  });
});

describe('ensureImage', () => {
  const missing = (pull: (signal: AbortSignal) => PassThrough): Dockerode =>
    ({
      getImage: () => ({ inspect: () => Promise.reject(Object.assign(new Error('no such image'), { statusCode: 404 })) }),
      pull: async (_image: string, opts: { abortSignal: AbortSignal }) => pull(opts.abortSignal),
    }) as unknown as Dockerode;

  it('gives up on a registry that says nothing', async () => {
    const silent = missing((signal) => {
      const s = new PassThrough();
      signal.addEventListener('abort', () => s.destroy(new Error('aborted')));
      return s;
    });
    const err = await ensureImage(silent, 'app:1', 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect((err as Error).message).toBe(
      'pull image manifest has been retried 1 time(s): failed to resolve ref docker.io/library/app:1: no answer from the registry for 0.1 s',
    );
  });

  it('reports an error Docker sends in the progress stream', async () => {
    const failing = missing(() => {
      const s = new PassThrough();
      s.end('{"status":"Pulling"}\n{"error":"manifest unknown","errorDetail":{"message":"manifest unknown"}}\n');
      return s;
    });
    await expect(ensureImage(failing, 'app:1')).rejects.toThrow(/app:1: manifest unknown$/);
  });
});

describe('events', () => {
  it('picks out state changes', () => {
    expect(changedContainer({ Type: 'container', Action: 'die', Actor: { ID: 'a' } })).toBe('a');
    expect(changedContainer({ Type: 'container', Action: 'health_status: healthy', Actor: { ID: 'b' } })).toBe('b');
    expect(changedContainer({ Type: 'container', Action: 'exec_start: sh', Actor: { ID: 'c' } })).toBeUndefined();
    expect(changedContainer({ Type: 'network', Action: 'connect', Actor: { ID: 'd' } })).toBeUndefined();
  });

  it('reconnects when the stream ends, reporting every managed container after the gap', async () => {
    const streams: PassThrough[] = [];
    const asked: { since?: number }[] = [];
    const fake = {
      getEvents: async (options: { since?: number }) => {
        asked.push(options);
        const s = new PassThrough();
        streams.push(s);
        return s;
      },
      listContainers: async () => [{ Id: 'x' }, { Id: 'y' }],
    } as unknown as Dockerode;
    const seen: string[] = [];
    const watcher = new EventWatcher(fake, (id) => seen.push(id), silentLogger);
    const until = async (check: () => boolean): Promise<void> => {
      while (!check()) await new Promise((r) => setTimeout(r, 10));
    };
    await until(() => streams.length === 1);
    streams[0]?.write(JSON.stringify({ Type: 'container', Action: 'start', Actor: { ID: 'a' }, time: 1714564800 }) + '\n');
    await until(() => seen.length === 1);
    streams[0]?.end(); // the engine went away
    await until(() => streams.length === 2);
    await until(() => seen.length === 3);
    expect(seen).toEqual(['a', 'x', 'y']);
    // the second connection asks Docker to replay what it still has of the gap
    expect(asked.map((o) => o.since)).toEqual([undefined, 1714564800]);
    watcher.stop();
    await watcher.done;
  });
});

describe('OOM ledger', () => {
  const info = (id: string, over: Partial<Dockerode.ContainerInspectInfo['State']> = {}): Dockerode.ContainerInspectInfo =>
    ({
      Id: id,
      HostConfig: { Memory: 16 * 1024 * 1024 },
      State: { Running: false, OOMKilled: false, ExitCode: 137, StartedAt: '2024-05-01T12:00:00Z', FinishedAt: '2024-05-01T12:00:01Z', ...over },
    }) as unknown as Dockerode.ContainerInspectInfo;

  it('recovers an OOM kill Docker lost the flag of from its event log, asking once', async () => {
    let asked = 0;
    const fake = {
      getEvents: async () => {
        asked++;
        const s = new PassThrough();
        s.end(JSON.stringify({ Type: 'container', Action: 'oom', Actor: { ID: 'victim' } }) + '\n');
        return s;
      },
    } as unknown as Dockerode;
    const ledger = new OomLedger(fake);
    expect(await ledger.oomKilled(info('victim'))).toBe(true);
    expect(await ledger.oomKilled(info('victim'))).toBe(true);
    expect(asked).toBe(1);
    expect(await ledger.oomKilled(info('other', { ExitCode: 1 }))).toBe(false);
    expect(await ledger.oomKilled(info('other', { OOMKilled: true, ExitCode: 1 }))).toBe(true);
    expect(asked).toBe(1);
  });

  it('answers from an oom event seen live, though the event log has rotated past it', async () => {
    let asked = 0;
    const rotated = {
      getEvents: async () => {
        asked++;
        const s = new PassThrough();
        s.end();
        return s;
      },
    } as unknown as Dockerode;
    const ledger = new OomLedger(rotated);
    expect(await ledger.oomKilled(info('lost'))).toBe(false);
    ledger.sawOom('seen');
    expect(await ledger.oomKilled(info('seen'))).toBe(true);
    expect(asked).toBe(1);
  });
});
