/** Starting and stopping the servers a benchmark measures. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

export interface Started {
  child: ChildProcess;
  /** What the server printed after "ready at", e.g. http://127.0.0.1:4750. */
  endpoint: string;
}

/** Runs `node <args>` from the repository root and waits (at most 30 s) for its "ready at <url>" line. */
export function startNode(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise<Started>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} was not ready in 30 s: ${out}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready at (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, endpoint: m[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}: ${out} (did you run npm run build?)`));
    });
  });
}

/** `skiff up` from dist/ on an ephemeral port; `nodeArgs` go to node (e.g. --cpu-prof). */
export function startSkiff(dataDir: string, extra: string[] = [], nodeArgs: string[] = []): Promise<Started> {
  return startNode([...nodeArgs, 'bin/skiff.js', 'up', '--port', '0', '--data-dir', dataDir, '--log-level', 'error', ...extra]);
}

/** SIGTERM, then SIGKILL if it has not exited within 10 s. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
