import { ECSServiceException } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { CliError, describeError, resolveEndpoint } from './client.js';

describe('resolveEndpoint', () => {
  it('prefers --endpoint, then SKIFF_ENDPOINT, then 127.0.0.1 on SKIFF_PORT or 4750', () => {
    expect(resolveEndpoint('http://h:1/', { SKIFF_ENDPOINT: 'http://e:2' })).toBe('http://h:1');
    expect(resolveEndpoint(undefined, { SKIFF_ENDPOINT: 'http://e:2', SKIFF_PORT: '3' })).toBe('http://e:2');
    expect(resolveEndpoint(undefined, { SKIFF_PORT: '3' })).toBe('http://127.0.0.1:3');
    expect(resolveEndpoint(undefined, {})).toBe('http://127.0.0.1:4750');
    expect(resolveEndpoint(undefined, { SKIFF_ENDPOINT: '', SKIFF_PORT: '' })).toBe('http://127.0.0.1:4750');
  });
});

describe('describeError', () => {
  const at = 'http://127.0.0.1:4750';

  it('prints an AWS error as its code and message', () => {
    const err = new ECSServiceException({ name: 'InvalidParameterException', $fault: 'client', $metadata: {}, message: 'TaskDefinition not found.' });
    expect(describeError(err, at)).toEqual({ message: 'skiff: InvalidParameterException: TaskDefinition not found.', exitCode: 1 });
  });

  it('says no server answers for a refused connection, however Node wraps it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4750'), { code: 'ECONNREFUSED' });
    const expected = { message: `skiff: no skiff server answers at ${at}: start one with \`skiff up\``, exitCode: 1 };
    expect(describeError(refused, at)).toEqual(expected);
    expect(describeError(new AggregateError([refused], 'connect failed'), at)).toEqual(expected);
    expect(describeError(new Error('request failed', { cause: refused }), at)).toEqual(expected);
  });

  it("keeps a CliError's exit code and prefixes anything else", () => {
    expect(describeError(new CliError('no task', 3), at)).toEqual({ message: 'skiff: no task', exitCode: 3 });
    expect(describeError(new Error('boom'), at)).toEqual({ message: 'skiff: boom', exitCode: 1 });
  });
});
