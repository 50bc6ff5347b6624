import http from 'node:http';
import { RegisterTaskDefinitionCommand, paginateListTaskDefinitions } from '@aws-sdk/client-ecs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsClient } from '../helpers/sdk.js';
import { startSkiff, tempDataDir, type SkiffProcess } from '../helpers/skiff-process.js';

const TARGET = 'AmazonEC2ContainerServiceV20141113';
const OPERATIONS = [
  'CreateCluster', 'DescribeClusters', 'ListClusters', 'DeleteCluster', 'UpdateCluster', 'UpdateClusterSettings',
  'RegisterTaskDefinition', 'DescribeTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies',
  'DeregisterTaskDefinition', 'DeleteTaskDefinitions', 'TagResource', 'UntagResource', 'ListTagsForResource',
  'RunTask', 'StopTask', 'DescribeTasks', 'ListTasks', 'StartTask',
];

const VALID = {
  family: 'fuzz',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'app',
      image: 'skiff-test/busybox:latest',
      essential: true,
      portMappings: [{ containerPort: 8080, hostPort: 8080 }],
      healthCheck: { command: ['CMD-SHELL', 'true'], interval: 10 },
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/fuzz', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } },
    },
  ],
};

let skiff: SkiffProcess;
let cleanup: () => void;
let agent: http.Agent;

beforeAll(async () => {
  const tmp = tempDataDir();
  cleanup = tmp.cleanup;
  skiff = await startSkiff(tmp.dir);
  agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
});

afterAll(async () => {
  agent.destroy();
  await skiff.stop();
  cleanup();
});

function post(operation: string, body: string | Buffer): Promise<{ status: number; body: string }> {
  const url = new URL(skiff.endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        agent,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}.${operation}` },
      },
      (res) => {
        let data = '';
        res.on('data', (d: Buffer) => (data += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Replaces one value somewhere in a JSON tree with an arbitrary one. */
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  if (entries.length === 0) return replacement;
  const [head, ...rest] = path as [number, ...number[]];
  const [key, child] = entries[head % entries.length] as readonly [string | number, unknown];
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...value }) as Record<string | number, unknown>;
  copy[key] = mutate(child, rest, replacement);
  return copy;
}

function expectModelledAnswer(r: { status: number; body: string }): void {
  // 2xx, or a 4xx with the AWS error shape; a 5xx only as the modelled ServerException
  if (r.status >= 300) {
    const parsed = JSON.parse(r.body) as { __type?: string; message?: string };
    expect(typeof parsed.__type).toBe('string');
    expect(typeof parsed.message).toBe('string');
    if (r.status >= 500) expect(parsed.__type).toBe('ServerException');
    expect(r.status).toBeLessThan(500);
  }
}

describe('fuzzing the ECS API', () => {
  it('answers random JSON bodies on every operation with a modelled response', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPERATIONS), fc.jsonValue({ maxDepth: 4 }), async (op, body) => {
        expectModelledAnswer(await post(op, JSON.stringify(body)));
      }),
      { numRuns: 1000 },
    );
  });

  it('answers mutated valid registrations with a modelled response', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string(), fc.integer(), fc.constant(null), fc.constant(''), fc.constant(-1)),
        async (path, replacement) => {
          expectModelledAnswer(await post('RegisterTaskDefinition', JSON.stringify(mutate(VALID, path, replacement))));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('answers random bytes with a modelled response', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        expectModelledAnswer(await post('RegisterTaskDefinition', Buffer.from(bytes)));
      }),
      { numRuns: 100 },
    );
  });

  it('leaves the store whole and serving afterwards', async () => {
    const ecs = ecsClient(skiff.endpoint);
    try {
      const revisions = async (): Promise<number[]> => {
        const out: number[] = [];
        for await (const page of paginateListTaskDefinitions({ client: ecs }, { familyPrefix: 'fuzz' })) {
          out.push(...(page.taskDefinitionArns ?? []).map((a) => Number(a.split(':').pop())));
        }
        return out;
      };
      const before = await revisions();
      const registered = await ecs.send(new RegisterTaskDefinitionCommand(VALID as never));
      const after = await revisions();
      expect(after).toEqual([...before, Math.max(0, ...before) + 1]);
      expect(registered.taskDefinition?.revision).toBe(Math.max(0, ...before) + 1);
      expect(skiff.child.exitCode).toBeNull();
    } finally {
      ecs.destroy();
    }
  });
});
