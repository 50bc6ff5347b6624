import { describe, expect, it } from 'vitest';
import { compileConfig, ConfigError, parseDuration } from './config.js';

describe('compileConfig', () => {
  it('defaults to 127.0.0.1:4750, ./.skiff, us-east-1 and account 000000000000', () => {
    expect(compileConfig({}, {}, '/work')).toMatchObject({
      host: '127.0.0.1',
      port: 4750,
      dataDir: '/work/.skiff',
      region: 'us-east-1',
      account: '000000000000',
      sandboxPool: 2,
    });
    expect(compileConfig({}, { SKIFF_SANDBOX_POOL: '0' }, '/w').sandboxPool).toBe(0);
    expect(compileConfig({}, { SKIFF_S3_DOMAINS: ' Objects.Example.test, ,s3.lan' }, '/w').s3Domains).toEqual(['objects.example.test', 's3.lan']);
    expect(compileConfig({}, {}, '/w').s3Domains).toEqual([]);
  });

  it('takes SKIFF_PORT and SKIFF_DATA_DIR, and flags over both', () => {
    const env = { SKIFF_PORT: '5000', SKIFF_DATA_DIR: 'state' };
    expect(compileConfig({}, env, '/w')).toMatchObject({ port: 5000, dataDir: '/w/state' });
    expect(compileConfig({ port: 6000, dataDir: '/abs' }, env, '/w')).toMatchObject({ port: 6000, dataDir: '/abs' });
  });

  it.each([
    [{ port: 'http' }, /port/],
    [{ port: 70000 }, /port/],
    [{ region: 'mars' }, /region/],
    [{ account: '12' }, /account/],
    [{ logLevel: 'loud' }, /log level/],
    [{ sandboxPool: 'many' }, /sandbox pool/],
    [{ sandboxPool: 17 }, /sandbox pool/],
  ])('refuses %o', (flags, message) => {
    expect(() => compileConfig(flags, {}, '/w')).toThrow(ConfigError);
    expect(() => compileConfig(flags, {}, '/w')).toThrow(message);
  });
});

describe('parseDuration', () => {
  it.each([
    ['5s', 5000],
    ['1m', 60_000],
    ['1500ms', 1500],
    ['60', 60_000],
    ['1.5s', 1500],
    ['1h', 3_600_000],
  ])('reads %s', (text, ms) => expect(parseDuration(text, 'metrics period')).toBe(ms));

  it.each(['0s', '500ms', '2h', 'fast', '-5s', '5 days'])('refuses %s', (text) => {
    expect(() => parseDuration(text, 'metrics period')).toThrow(ConfigError);
    expect(() => parseDuration(text, 'metrics period')).toThrow(/metrics period must be like 5s, 1m or 1500ms, from 1s to 60m/);
  });

  it('keeps to the range it is given', () => {
    const range = { minMs: 1_000, maxMs: 60_000 };
    expect(parseDuration('30s', 'min schedule rate', range)).toBe(30_000);
    expect(() => parseDuration('2m', 'min schedule rate', range)).toThrow(/min schedule rate .* from 1s to 1m; got '2m'/);
    expect(() => parseDuration('1h', 'min schedule rate', range)).toThrow(/from 1s to 1m/);
  });
});
