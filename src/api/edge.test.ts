import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError, clientError, sequentialIds, silentLogger } from '../core/index.js';
import { Edge } from './edge.js';
import { S, checkShape } from './shape.js';

const Invalid = clientError('InvalidParameterException');

let edge: Edge;
let base: string;

beforeAll(async () => {
  edge = new Edge({ scope: { region: 'us-east-1', account: '000000000000' }, ids: sequentialIds(), logger: silentLogger, maxBodyBytes: 1024 });
  edge.addJsonService({
    protocol: 'awsJson1_1',
    signingName: 'demo',
    targetPrefix: 'DemoService_20200101',
    serverErrorCode: 'ServerException',
    operations: {
      Echo: (input, ctx) => ({ input, region: ctx.region, service: ctx.signingService, at: new Date(1_700_000_000_500) }),
      Fail: () => {
        throw new AwsError(Invalid, 'bad value');
      },
      Crash: () => {
        throw new Error('boom');
      },
      Typed: (input) => {
        checkShape(input, S.struct({ n: S.integer, s: S.string }, ['n']), Invalid);
        return {};
      },
    },
  });
  const addr: AddressInfo = await edge.listen('127.0.0.1', 0);
  base = `http://127.0.0.1:${addr.port}/`;
});

afterAll(() => edge.close());

async function call(target: string | undefined, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; type: string | null }> {
  const res = await fetch(base, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}), ...headers },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, type: res.headers.get('x-amzn-errortype') };
}

describe('the edge router', () => {
  it('routes by X-Amz-Target and serializes dates as epoch seconds', async () => {
    const auth = 'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/demo/aws4_request, SignedHeaders=host, Signature=00';
    const r = await call('DemoService_20200101.Echo', '{"a":1}', { authorization: auth });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ input: { a: 1 }, region: 'eu-west-1', service: 'demo', at: 1_700_000_000.5 });
  });

  it('treats an empty body as an empty input', async () => {
    const r = await call('DemoService_20200101.Echo', '');
    expect(r.json['input']).toEqual({});
  });

  it.each([
    ['malformed JSON', 'DemoService_20200101.Echo', '{"a":', 'SerializationException', 400],
    ['a JSON array', 'DemoService_20200101.Echo', '[1]', 'SerializationException', 400],
    ['an unknown operation', 'DemoService_20200101.Nope', '{}', 'UnknownOperationException', 400],
    ['an unknown service prefix', 'Other_1.Echo', '{}', 'UnknownOperationException', 400],
    ['a domain error', 'DemoService_20200101.Fail', '{}', 'InvalidParameterException', 400],
    ['a crash, as the service fault', 'DemoService_20200101.Crash', '{}', 'ServerException', 500],
    ['a wrong JSON type', 'DemoService_20200101.Typed', '{"n":"x"}', 'SerializationException', 400],
    ['an unknown member', 'DemoService_20200101.Typed', '{"n":1,"zz":1}', 'InvalidParameterException', 400],
    ['a missing member', 'DemoService_20200101.Typed', '{"s":"x"}', 'InvalidParameterException', 400],
    ['an oversized body', 'DemoService_20200101.Echo', JSON.stringify({ x: 'y'.repeat(2000) }), 'RequestEntityTooLargeException', 413],
  ])('answers %s with the AWS error shape', async (_what, target, body, code, status) => {
    const r = await call(target, body);
    expect(r.status).toBe(status);
    expect(r.type).toBe(code);
    expect(r.json['__type']).toBe(code);
    expect(typeof r.json['message']).toBe('string');
  });

  it('refuses a wrong content type', async () => {
    const r = await call('DemoService_20200101.Echo', '{}', { 'content-type': 'text/plain' });
    expect(r.type).toBe('SerializationException');
    expect(r.json['message']).toMatch(/application\/x-amz-json-1.1/);
  });

  it('says why a request without target or scope cannot be routed', async () => {
    const res = await fetch(base + 'whatever');
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('keeps serving after every kind of bad request', async () => {
    const r = await call('DemoService_20200101.Echo', '{"ok":true}');
    expect(r.status).toBe(200);
    const health = await fetch(base + '_skiff/health');
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});
