import { describe, expect, it } from 'vitest';
import { compileConfig, ConfigError } from './config.js';

describe('compileConfig', () => {
  it('defaults to 127.0.0.1:4750, ./.skiff, us-east-1 and account 000000000000', () => {
    expect(compileConfig({}, {}, '/work')).toMatchObject({
      host: '127.0.0.1',
      port: 4750,
      dataDir: '/work/.skiff',
      region: 'us-east-1',
      account: '000000000000',
    });
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
  ])('refuses %o', (flags, message) => {
    expect(() => compileConfig(flags, {}, '/w')).toThrow(ConfigError);
    expect(() => compileConfig(flags, {}, '/w')).toThrow(message);
  });
});
