import type { AddressInfo } from 'node:net';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthFailure, Edge, readBody } from '../api/index.js';
import { ManualClock, sequentialIds, silentLogger } from '../core/index.js';
import { TaskCredentials, type IssuedCredentials } from './task-credentials.js';

const SECRET = Buffer.alloc(32, 7);
const TASK = 'arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef';
const ROLE = 'arn:aws:iam::000000000000:role/worker';
const T0 = new Date('2026-11-24T05:10:00Z');

describe('TaskCredentials', () => {
  const creds = new TaskCredentials(SECRET);

  it('issues credentials that resolve to their task and role, the same ones within the hour', () => {
    const a = creds.issue(TASK, ROLE, T0);
    expect(a.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(a.Expiration).toBe('2026-11-24T11:00:00.000Z');
    expect(a.RoleArn).toBe(ROLE);
    expect(creds.issue(TASK, ROLE, new Date('2026-11-24T05:59:59Z'))).toEqual(a);
    expect(creds.issue(TASK, ROLE, new Date('2026-11-24T06:00:00Z')).AccessKeyId).not.toBe(a.AccessKeyId);
    const found = creds.lookup(a.AccessKeyId, a.Token, T0);
    expect(found?.secretAccessKey).toBe(a.SecretAccessKey);
    expect(found?.principal).toEqual({
      arn: 'arn:aws:sts::000000000000:assumed-role/worker/0123456789abcdef0123456789abcdef',
      taskArn: TASK,
      roleArn: ROLE,
    });
  });

  it('gives other tasks and other secrets other keys', () => {
    const a = creds.issue(TASK, ROLE, T0);
    expect(creds.issue(TASK.replace('0123', '9999'), ROLE, T0).AccessKeyId).not.toBe(a.AccessKeyId);
    expect(new TaskCredentials(Buffer.alloc(32, 8)).issue(TASK, ROLE, T0).SecretAccessKey).not.toBe(a.SecretAccessKey);
  });

  it('leaves foreign keys alone and refuses forged, mismatched and expired tokens', () => {
    const a = creds.issue(TASK, ROLE, T0);
    const b = creds.issue(TASK.replace('0123', '9999'), undefined, T0);
    expect(creds.lookup('AKIAIOSFODNN7EXAMPLE', undefined, T0)).toBeUndefined();
    expect(creds.lookup(a.AccessKeyId, 'FwoGZXIvYXdzEJr//////////', T0)).toBeUndefined();
    const failure = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (err) {
        return err instanceof AuthFailure ? err.kind : String(err);
      }
      return undefined;
    };
    const forged = a.Token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(failure(() => creds.lookup(a.AccessKeyId, forged, T0))).toBe('InvalidToken');
    expect(failure(() => creds.lookup(b.AccessKeyId, a.Token, T0))).toBe('InvalidToken');
    expect(failure(() => new TaskCredentials(Buffer.alloc(32, 8)).lookup(a.AccessKeyId, a.Token, T0))).toBe('InvalidToken');
    expect(failure(() => creds.lookup(a.AccessKeyId, a.Token, new Date(a.Expiration)))).toBe('ExpiredToken');
  });
});

/** Real SDK v3 clients signing with issued credentials, against the edge checking them. */
describe('the edge checks requests signed with issued credentials', () => {
  const clock = new ManualClock(T0);
  const authority = new TaskCredentials(SECRET);
  let edge: Edge;
  let endpoint: string;
  const clients: Array<{ destroy(): void }> = [];

  beforeAll(async () => {
    edge = new Edge({ scope: { region: 'us-east-1', account: '000000000000' }, ids: sequentialIds(), logger: silentLogger, maxBodyBytes: 1 << 20, clock, credentials: authority });
    edge.addJsonService({
      protocol: 'awsJson1_1',
      signingName: 'ecs',
      targetPrefix: 'AmazonEC2ContainerServiceV20141113',
      serverErrorCode: 'ServerException',
      operations: { ListClusters: (_input, ctx) => ({ clusterArns: [ctx.principal?.arn ?? 'anonymous'] }) },
    });
    edge.addRawService('s3', async (req, res, ctx) => {
      const body = await readBody(req, 1 << 20);
      const who = ctx.principal?.arn ?? 'anonymous';
      if (req.method === 'PUT') return void res.writeHead(200, { etag: `"${body.length}-${who.length}"` }).end();
      const xml = `<ListAllMyBucketsResult><Owner><ID>x</ID><DisplayName>${who}</DisplayName></Owner><Buckets></Buckets></ListAllMyBucketsResult>`;
      res.writeHead(200, { 'content-type': 'application/xml' }).end(xml);
    }, 'restXml');
    const addr: AddressInfo = await edge.listen('127.0.0.1', 0);
    endpoint = `http://127.0.0.1:${addr.port}`;
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await edge.close();
  });

  const asKeys = (c: IssuedCredentials, secret = c.SecretAccessKey): { accessKeyId: string; secretAccessKey: string; sessionToken: string } => ({
    accessKeyId: c.AccessKeyId,
    secretAccessKey: secret,
    sessionToken: c.Token,
  });
  function ecs(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): ECSClient {
    const client = new ECSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, systemClockOffset: clock.now().getTime() - Date.now() });
    clients.push(client);
    return client;
  }
  function s3(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): S3Client {
    const client = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1, systemClockOffset: clock.now().getTime() - Date.now() });
    clients.push(client);
    return client;
  }
  const errorOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'no error', (err: Error) => err.name);

  it('knows who signed an awsJson request, and refuses a wrong secret, a forged token and an expired one', async () => {
    const c = authority.issue(TASK, ROLE, clock.now());
    const out = await ecs(asKeys(c)).send(new ListClustersCommand({}));
    expect(out.clusterArns).toEqual(['arn:aws:sts::000000000000:assumed-role/worker/0123456789abcdef0123456789abcdef']);
    expect(await errorOf(ecs(asKeys(c, 'x'.repeat(40))).send(new ListClustersCommand({})))).toBe('InvalidSignatureException');
    expect(await errorOf(ecs({ ...asKeys(c), sessionToken: `${c.Token}x` }).send(new ListClustersCommand({})))).toBe('UnrecognizedClientException');
    const old = authority.issue(TASK, ROLE, new Date(T0.getTime() - 7 * 3_600_000));
    expect(await errorOf(ecs(asKeys(old)).send(new ListClustersCommand({})))).toBe('ExpiredTokenException');
  });

  it('lets foreign keys through unauthenticated', async () => {
    const out = await ecs({ accessKeyId: 'test', secretAccessKey: 'test' }).send(new ListClustersCommand({}));
    expect(out.clusterArns).toEqual(['anonymous']);
  });

  it('checks S3 requests in S3 error codes, bodies included', async () => {
    const c = authority.issue(TASK, ROLE, clock.now());
    const list = await s3(asKeys(c)).send(new ListBucketsCommand({}));
    expect(list.Owner?.DisplayName).toBe('arn:aws:sts::000000000000:assumed-role/worker/0123456789abcdef0123456789abcdef');
    const put = await s3(asKeys(c)).send(new PutObjectCommand({ Bucket: 'b', Key: 'dir/a b+c.txt', Body: 'hello' }));
    expect(put.ETag).toBe(`"5-${'arn:aws:sts::000000000000:assumed-role/worker/0123456789abcdef0123456789abcdef'.length}"`);
    expect(await errorOf(s3(asKeys(c, 'y'.repeat(40))).send(new ListBucketsCommand({})))).toBe('SignatureDoesNotMatch');
    expect(await errorOf(s3({ ...asKeys(c), sessionToken: `${c.Token}x` }).send(new ListBucketsCommand({})))).toBe('InvalidToken');
  });

  it('refuses a signature more than 15 minutes off', async () => {
    const c = authority.issue(TASK, ROLE, clock.now());
    const late = new ECSClient({ endpoint, region: 'us-east-1', credentials: asKeys(c), maxAttempts: 1, systemClockOffset: clock.now().getTime() - Date.now() - 20 * 60_000 });
    clients.push(late);
    expect(await errorOf(late.send(new ListClustersCommand({})))).toBe('InvalidSignatureException');
  });
});
