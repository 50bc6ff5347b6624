import { describe, expect, it } from 'vitest';
import { parseEnv, rewriteCmdArgs, runCommand } from './run.js';

const rewrite = (...args: string[]): string[] => rewriteCmdArgs(['node', 'skiff', ...args], runCommand()).slice(2);

describe('rewriteCmdArgs', () => {
  it('keeps every argument after --cmd, dashes included, until the next run option', () => {
    expect(rewrite('run', 'fam', '--cmd', 'sh', '-c', 'exit 7', '--wait')).toEqual(['run', 'fam', '--cmd=sh', '--cmd=-c', '--cmd=exit 7', '--wait']);
    expect(rewrite('run', 'fam', '--cmd', 'ls', '-l', '--env', 'A=1')).toEqual(['run', 'fam', '--cmd=ls', '--cmd=-l', '--env', 'A=1']);
    expect(rewrite('run', 'fam', '--cmd', 'echo', '--count=2')).toEqual(['run', 'fam', '--cmd=echo', '--count=2']);
  });

  it('ends the command at --, which it drops', () => {
    expect(rewrite('run', '--cmd', 'echo', '--wait', '--', 'fam')).toEqual(['run', '--cmd=echo', '--wait', '--', 'fam']);
    expect(rewrite('run', '--cmd', 'echo', '--not-ours', '--', 'fam', '--follow')).toEqual(['run', '--cmd=echo', '--cmd=--not-ours', 'fam', '--follow']);
  });

  it('leaves other commands, and a --cmd with nothing after it, alone', () => {
    expect(rewrite('ps', '--cmd', 'x', '-c')).toEqual(['ps', '--cmd', 'x', '-c']);
    expect(rewrite('run', 'fam', '--cmd', '--wait')).toEqual(['run', 'fam', '--cmd', '--wait']);
  });

  it('is parsed by commander into the argument list', () => {
    const cmd = runCommand().exitOverride();
    cmd.action(() => undefined);
    cmd.parse(rewrite('run', 'fam', '--cmd', 'sh', '-c', 'exit 7', '--wait').slice(1), { from: 'user' });
    expect(cmd.opts()).toMatchObject({ cmd: ['sh', '-c', 'exit 7'], wait: true });
    expect(cmd.args).toEqual(['fam']);
  });
});

describe('parseEnv', () => {
  it('splits at the first =, so values may hold more', () => {
    expect(parseEnv(['A=1', 'URL=a=b', 'EMPTY='])).toEqual([
      { name: 'A', value: '1' },
      { name: 'URL', value: 'a=b' },
      { name: 'EMPTY', value: '' },
    ]);
  });

  it('refuses a pair without a name or an =', () => {
    expect(() => parseEnv(['=1'])).toThrow(/--env takes NAME=value, not '=1'/);
    expect(() => parseEnv(['A'])).toThrow(/NAME=value/);
  });
});
