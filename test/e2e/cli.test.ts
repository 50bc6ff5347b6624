import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SKIFF_BIN, startSkiff, tempDataDir } from '../helpers/skiff-process.js';

const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

function skiff(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SKIFF_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the skiff command', () => {
  it('prints its version and help', () => {
    expect(skiff(['--version']).stdout.trim()).toBe(pkg.version);
    const help = skiff(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/up \[options\]/);
    expect(skiff(['up', '--help']).stdout).toMatch(/--data-dir/);
  });

  it('refuses a bad port with a clear message and exit code 2', () => {
    const r = skiff(['up'], { SKIFF_PORT: 'eighty' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/port must be an integer/);
  });

  it('prints one ready line with the endpoint, keeps its data dir, and stops cleanly on SIGTERM and SIGINT', async () => {
    const tmp = tempDataDir();
    try {
      const first = await startSkiff(tmp.dir);
      expect(first.output()).toMatch(new RegExp(`^skiff ${pkg.version} ready at http://127\\.0\\.0\\.1:\\d+ \\(data in ${tmp.dir}\\)\\n$`));
      const health = await fetch(`${first.endpoint}/_skiff/health`);
      expect(health.status).toBe(200);
      expect(await first.stop()).toBe(0);
      const second = await startSkiff(tmp.dir);
      second.child.kill('SIGINT');
      expect(await second.exited()).toBe(0);
      expect(readFileSync(path.join(tmp.dir, 'skiff.db')).length).toBeGreaterThan(0);
    } finally {
      tmp.cleanup();
    }
  });
});
