import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SKIFF_BIN = path.join(ROOT, 'bin/skiff.js');

export interface SkiffProcess {
  readonly endpoint: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Waits for the process to exit by itself; resolves with the exit code. */
  exited(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

/**
 * A temporary data directory, removed by the returned cleanup together with every
 * container the skiff that used it left on the Docker host (after a kill -9 its tasks and
 * pooled sandboxes stay, and only a skiff on the same data directory would remove them).
 */
export function tempDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-test-'));
  return {
    dir,
    cleanup: () => {
      removeContainersOf(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function removeContainersOf(dataDir: string): void {
  let instance: string;
  try {
    instance = readFileSync(path.join(dataDir, 'instance-id'), 'utf8').trim();
  } catch {
    return; // never started, or not by a skiff that creates containers
  }
  const listed = spawnSync('docker', ['ps', '-aq', '--filter', `label=dev.skiff.instance=${instance}`], { encoding: 'utf8' });
  const ids = (listed.stdout ?? '').split('\n').filter(Boolean);
  if (ids.length > 0) spawnSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
}

/** Starts the built `skiff up` as a user would, on an ephemeral port, and waits for its ready line. */
export async function startSkiff(dataDir: string, extraArgs: string[] = []): Promise<SkiffProcess> {
  const child = spawn(process.execPath, [SKIFF_BIN, 'up', '--port', '0', '--data-dir', dataDir, '--log-level', process.env['SKIFF_TEST_LOG_LEVEL'] ?? 'error', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`skiff did not become ready in 30 s:\n${out}`)), 30_000);
    const onData = (): void => {
      const m = /ready at (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`skiff exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    endpoint,
    dataDir,
    child,
    output: () => out,
    exited: () => exited,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
