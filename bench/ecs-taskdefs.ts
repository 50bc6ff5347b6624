/**
 * RegisterTaskDefinition and DescribeTaskDefinition requests per second against a
 * running `skiff up` holding 10,000 stored revisions, at concurrency 1 and 32, printed
 * beside an empty node:http handler measured in the same run.
 *
 *   npm run build && npm run bench            (BENCH_SECONDS=5 BENCH_SEED=10000 to change)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runLoad, type LoadResult } from './load.js';
import { startNode, startSkiff, stopProcess } from './processes.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const SEED = Number(process.env['BENCH_SEED'] ?? 10_000);
const TARGET = 'AmazonEC2ContainerServiceV20141113';

function taskDefinition(family: string, i: number): string {
  return JSON.stringify({
    family,
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
        portMappings: [{ containerPort: 8080 }],
        environment: [{ name: 'N', value: String(i) }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/bench', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
        },
      },
    ],
  });
}

function row(name: string, r: LoadResult, base: LoadResult): string {
  const cells = [name.padEnd(34), r.rps.toFixed(0).padStart(8), base.rps.toFixed(0).padStart(10),
    (r.rps / base.rps).toFixed(3).padStart(7), r.p50ms.toFixed(2).padStart(8), r.p99ms.toFixed(2).padStart(8), String(r.errors).padStart(6)];
  return cells.join('  ');
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skiff-bench-'));
  const skiff = await startSkiff(dataDir);
  const empty = await startNode(['--import', 'tsx', 'bench/empty-server.ts']);
  try {
    process.stdout.write(`seeding ${SEED} revisions of family 'seed'... `);
    const t0 = performance.now();
    let seeded = 0;
    const seedRun = await runLoad(skiff.endpoint, 32, 3600, () =>
      seeded < SEED ? { target: `${TARGET}.RegisterTaskDefinition`, body: taskDefinition('seed', seeded++) } : undefined,
    );
    if (seedRun.errors > 0) throw new Error(`${seedRun.errors} seed registrations failed`);
    process.stdout.write(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n\n`);

    const describe = (i: number): { target: string; body: string } => ({
      target: `${TARGET}.DescribeTaskDefinition`,
      body: JSON.stringify({ taskDefinition: `seed:${1 + (i % SEED)}` }),
    });
    const register = (i: number): { target: string; body: string } => ({
      target: `${TARGET}.RegisterTaskDefinition`,
      body: taskDefinition('bench', i),
    });
    console.log(`${SECONDS} s per measurement; ratio = skiff / empty node:http handler (same run, same client)`);
    console.log(['operation'.padEnd(34), 'req/s'.padStart(8), 'empty req/s'.padStart(10), 'ratio'.padStart(7), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(6)].join('  '));
    for (const concurrency of [1, 32]) {
      const base = await runLoad(empty.endpoint, concurrency, SECONDS, describe);
      const d = await runLoad(skiff.endpoint, concurrency, SECONDS, describe);
      console.log(row(`DescribeTaskDefinition c=${concurrency}`, d, base));
      const r = await runLoad(skiff.endpoint, concurrency, SECONDS, register);
      console.log(row(`RegisterTaskDefinition c=${concurrency}`, r, base));
    }
  } finally {
    await stopProcess(skiff.child);
    await stopProcess(empty.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
