import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContainerTokens, loadAgentSecret, SECRET_FILE } from './tokens.js';

const TASK = '0123456789abcdef0123456789abcdef';
const tokens = new ContainerTokens(Buffer.alloc(32, 7));

describe('ContainerTokens', () => {
  it('round-trips every shape of ECS container name', () => {
    for (const name of ['a', 'app', 'my-app', 'my_app', '-', 'x'.repeat(255), 'with-22-chars-0123456']) {
      const token = tokens.issue(TASK, name);
      expect(token).toMatch(/^[A-Za-z0-9_%-]+$/);
      expect(tokens.verify(token)).toEqual({ taskId: TASK, containerName: name });
    }
  });

  it('keeps names outside the ECS alphabet path-safe', () => {
    const token = tokens.issue(TASK, 'a/b c');
    expect(token).not.toContain('/');
    expect(tokens.verify(token)).toEqual({ taskId: TASK, containerName: 'a/b c' });
  });

  it('refuses anything it did not issue', () => {
    const good = tokens.issue(TASK, 'app');
    const bad = [
      '',
      TASK,
      `${TASK}-app-`,
      `${TASK}-app`,
      good.toUpperCase(),
      good.replace(TASK, TASK.replace('0', '1')),
      good.replace('-app-', '-ap-'),
      `${good}A`,
      good.slice(1),
      `${TASK}--${good.slice(-22)}`,
      `${TASK}-%E0%A4%A-${good.slice(-22)}`,
      new ContainerTokens(Buffer.alloc(32, 8)).issue(TASK, 'app'),
    ];
    for (const token of bad) expect([token, tokens.verify(token)]).toEqual([token, undefined]);
  });
});

describe('loadAgentSecret', () => {
  const dirs: string[] = [];
  const tmp = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-secret-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates 32 random bytes readable by the owner only, once', () => {
    const dir = path.join(tmp(), 'nested');
    const first = loadAgentSecret(dir);
    expect(first.length).toBe(32);
    expect(fs.statSync(path.join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(loadAgentSecret(dir).equals(first)).toBe(true);
    expect(loadAgentSecret(tmp()).equals(first)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('says what to do with a damaged secret file', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, SECRET_FILE), 'short');
    expect(() => loadAgentSecret(dir)).toThrow(/holds 5 bytes, not 32: delete it to make a new one/);
  });
});
