import { ContainerStartError } from '../contract.js';

/**
 * What a fake container does, read from its `FAKE_*` environment variables (the
 * vocabulary is documented in README.md). Parsed once at create time so that a typo
 * fails the create with a message naming the variable, as a bad command would.
 */
export interface FakeScript {
  /** Exits this long after start; undefined runs until stopped. */
  runMs: number | undefined;
  exitCode: number;
  /** When set, start() is refused with this message. */
  failStart: string | undefined;
  health: 'healthy' | 'unhealthy';
  /** Health probes start failing this long after start. */
  unhealthyAfterMs: number | undefined;
  ignoreSigterm: boolean;
  termExitCode: number;
  termDelayMs: number;
  /** Resident memory the process claims; above the container's memoryMiB it is OOM-killed. */
  memoryMiB: number | undefined;
  cpuUnits: number;
  /** Output in emission order. */
  lines: ScriptedLine[];
}

export interface ScriptedLine {
  atMs: number;
  stream: 'stdout' | 'stderr';
  message: string;
}

export const FAKE_PREFIX = 'FAKE_';

const KNOWN = [
  'FAKE_RUN_MS',
  'FAKE_EXIT_CODE',
  'FAKE_FAIL_START',
  'FAKE_HEALTH',
  'FAKE_UNHEALTHY_AFTER_MS',
  'FAKE_IGNORE_SIGTERM',
  'FAKE_TERM_EXIT_CODE',
  'FAKE_TERM_DELAY_MS',
  'FAKE_MEMORY_MIB',
  'FAKE_CPU_UNITS',
  'FAKE_STDOUT',
  'FAKE_STDERR',
] as const;

/** A process that runs until stopped, prints nothing and is healthy: what a sandbox is. */
export const IDLE_SCRIPT: FakeScript = {
  runMs: undefined,
  exitCode: 0,
  failStart: undefined,
  health: 'healthy',
  unhealthyAfterMs: undefined,
  ignoreSigterm: false,
  termExitCode: 143,
  termDelayMs: 0,
  memoryMiB: undefined,
  cpuUnits: 0,
  lines: [],
};

/** Reads the FAKE_* variables of `env`; throws ContainerStartError naming a bad one. */
export function parseFakeScript(env: Record<string, string>): FakeScript {
  const unknown = Object.keys(env).filter(
    (k) => k.startsWith(FAKE_PREFIX) && !(KNOWN as readonly string[]).includes(k),
  );
  if (unknown.length > 0) {
    throw new ContainerStartError(
      `unknown fake driver setting ${unknown.join(', ')}; known settings: ${KNOWN.join(', ')}`,
    );
  }
  const health = env.FAKE_HEALTH ?? 'healthy';
  if (health !== 'healthy' && health !== 'unhealthy') {
    throw new ContainerStartError(`FAKE_HEALTH must be "healthy" or "unhealthy", got "${health}"`);
  }
  return {
    runMs: optionalNumber(env, 'FAKE_RUN_MS'),
    exitCode: optionalExitCode(env, 'FAKE_EXIT_CODE') ?? 0,
    failStart: env.FAKE_FAIL_START,
    health,
    unhealthyAfterMs: optionalNumber(env, 'FAKE_UNHEALTHY_AFTER_MS'),
    ignoreSigterm: flag(env, 'FAKE_IGNORE_SIGTERM'),
    termExitCode: optionalExitCode(env, 'FAKE_TERM_EXIT_CODE') ?? 143,
    termDelayMs: optionalNumber(env, 'FAKE_TERM_DELAY_MS') ?? 0,
    memoryMiB: optionalNumber(env, 'FAKE_MEMORY_MIB'),
    cpuUnits: optionalNumber(env, 'FAKE_CPU_UNITS') ?? 0,
    lines: scriptedLines(env.FAKE_STDOUT, env.FAKE_STDERR),
  };
}

function optionalNumber(env: Record<string, string>, key: string): number | undefined {
  const raw = env[key];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new ContainerStartError(`${key} must be a non-negative number, got "${raw}"`);
  }
  return value;
}

function optionalExitCode(env: Record<string, string>, key: string): number | undefined {
  const value = optionalNumber(env, key);
  if (value !== undefined && (!Number.isInteger(value) || value > 255)) {
    throw new ContainerStartError(`${key} must be an integer from 0 to 255, got "${env[key]}"`);
  }
  return value;
}

function flag(env: Record<string, string>, key: string): boolean {
  const raw = (env[key] ?? '').toLowerCase();
  if (raw === '1' || raw === 'true') return true;
  if (raw === '' || raw === '0' || raw === 'false') return false;
  throw new ContainerStartError(`${key} must be 1/true or 0/false, got "${env[key]}"`);
}

/** `@<ms> text` delays a line; ties keep stdout before stderr and file order within a stream. */
const DELAYED = /^@(\d+) (.*)$/s;

function scriptedLines(stdout: string | undefined, stderr: string | undefined): ScriptedLine[] {
  const parse = (text: string | undefined, stream: ScriptedLine['stream']): ScriptedLine[] =>
    splitLines(text).map((line) => {
      const m = DELAYED.exec(line);
      return m ? { atMs: Number(m[1]), stream, message: m[2] ?? '' } : { atMs: 0, stream, message: line };
    });
  // Array.prototype.sort is stable, so equal times keep the order built here.
  return [...parse(stdout, 'stdout'), ...parse(stderr, 'stderr')].sort((a, b) => a.atMs - b.atMs);
}

function splitLines(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const lines = text.split('\n');
  // "a\nb\n" is two lines, as a shell's output would be.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
