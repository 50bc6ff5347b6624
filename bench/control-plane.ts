/**
 * Control plane for tasks: RunTask, DescribeTasks (1 and 100 tasks) and ListTasks
 * (desiredStatus STOPPED, pages of 100) requests per second at concurrency 1 and 32,
 * first on a fresh store, then with 100,000 STOPPED tasks in history, each beside an
 * empty node:http handler measured in the same run.
 *
 * `skiff up --driver fake` (scripted containers, no Docker) so the control plane is
 * measured, not Docker. The task definition's container exits at once (FAKE_RUN_MS=0):
 * every RunTask also costs the runner a full lifecycle (PROVISIONING → STOPPED) behind it.
 *
 *   npm run build && npm run bench:control-plane
 *   (BENCH_SECONDS=3 BENCH_HISTORY=100000 BENCH_API_SEED=2000; BENCH_CPU_PROF=<dir> profiles the server)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { createStore, openDatabase, taskIdOf, type StoredTask } from '../src/store/index.js';
import { runLoad, type LoadResult } from './load.js';
import { startNode, startSkiff, stopProcess, type Started } from './processes.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const HISTORY = Number(process.env['BENCH_HISTORY'] ?? 100_000);
const API_SEED = Number(process.env['BENCH_API_SEED'] ?? 2000);
const CPU_PROF = process.env['BENCH_CPU_PROF'];
const KEEP = process.env['BENCH_KEEP'] === '1';
const TARGET = 'AmazonEC2ContainerServiceV20141113';
const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/default';
const RUN = JSON.stringify({
  taskDefinition: 'bench',
  count: 1,
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-bench'] } },
});

type Request = { target: string; body: string };

function startFakeSkiff(dataDir: string): Promise<Started> {
  return startSkiff(dataDir, ['--driver', 'fake'], CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF] : []);
}

async function call<T>(endpoint: string, op: string, body: unknown): Promise<T> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}.${op}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (res.status !== 200) throw new Error(`${op}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Until the runner has carried every task to STOPPED (DescribeClusters counts none running or pending). */
async function drained(endpoint: string): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const { clusters } = await call<{ clusters: { runningTasksCount: number; pendingTasksCount: number }[] }>(
      endpoint, 'DescribeClusters', { clusters: ['default'] });
    const c = clusters[0];
    if (c && c.runningTasksCount + c.pendingTasksCount === 0) return (performance.now() - t0) / 1000;
    if (performance.now() - t0 > 300_000) throw new Error('tasks did not all stop within 300 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Walks ListTasks(STOPPED) page by page; the token of every page and the ARNs seen. */
async function walk(endpoint: string): Promise<{ tokens: (string | undefined)[]; arns: string[]; seconds: number }> {
  const t0 = performance.now();
  const tokens: (string | undefined)[] = [];
  const arns: string[] = [];
  let token: string | undefined;
  do {
    tokens.push(token);
    const page = await call<{ taskArns: string[]; nextToken?: string }>(endpoint, 'ListTasks', {
      desiredStatus: 'STOPPED', maxResults: 100, nextToken: token });
    arns.push(...page.taskArns);
    token = page.nextToken;
  } while (token);
  return { tokens, arns, seconds: (performance.now() - t0) / 1000 };
}

/** Runs `count` tasks through the API (RunTask of 10 at a time, 4 in flight) and waits for all to stop. */
async function seedThroughApi(endpoint: string, count: number): Promise<void> {
  let sent = 0;
  const body = JSON.stringify({ ...JSON.parse(RUN) as object, count: 10 });
  const r = await runLoad(endpoint, 4, 3600, () => (sent++ < count / 10 ? { target: `${TARGET}.RunTask`, body } : undefined));
  if (r.errors > 0) throw new Error(`${r.errors} seeding RunTask calls failed`);
  await drained(endpoint);
}

/**
 * Fills the history up to `total` STOPPED tasks with copies of the real ones (new task
 * ids, same documents) through the project's own TaskRepository, 1,000 per transaction,
 * while skiff is stopped. Running 100,000 tasks through the API would take ~20 minutes here.
 */
/** Bytes of the SQLite database and its write-ahead log. */
function storeBytes(dataDir: string): number {
  return ['skiff.db', 'skiff.db-wal'].reduce((sum, f) => sum + (existsSync(path.join(dataDir, f)) ? statSync(path.join(dataDir, f)).size : 0), 0);
}

function cloneHistory(dataDir: string, total: number): number {
  const db = openDatabase(dataDir);
  try {
    const store = createStore(db);
    const listing = { cluster: CLUSTER, desiredStatus: 'STOPPED' };
    const { arns } = store.tasks.pageArns(listing, undefined, 200);
    const templates = arns.map((a) => store.tasks.get(taskIdOf(a))).filter((t): t is StoredTask => t?.lastStatus === 'STOPPED');
    if (templates.length === 0) throw new Error('no stopped task to copy');
    let have = 0;
    for (let page = { arns, more: true }; ; page = store.tasks.pageArns(listing, page.arns.at(-1), 1000)) {
      have += page.arns.length;
      if (!page.more) break;
    }
    let made = 0;
    for (let left = total - have; left > 0; left -= 1000) {
      const batch: StoredTask[] = [];
      for (let i = 0; i < Math.min(1000, left); i++, made++) {
        const t = templates[made % templates.length] as StoredTask;
        const oldId = taskIdOf(t.taskArn);
        const copy = JSON.parse(JSON.stringify(t).replaceAll(oldId, randomBytes(16).toString('hex'))) as StoredTask;
        copy.createdAt = new Date(t.createdAt.getTime() - made);
        batch.push(copy);
      }
      store.tasks.create(batch);
    }
    return made;
  } finally {
    db.close();
  }
}

/** Median of one small synchronous=FULL WAL commit on the data directory's disk: the store's unit of work. */
function commitCost(dir: string): number {
  const db = new Database(path.join(dir, 'commit-probe.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
    const put = db.prepare('INSERT OR REPLACE INTO t VALUES (1, ?)');
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      put.run(JSON.stringify({ i, pad: 'x'.repeat(2000) }));
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[100] ?? 0;
  } finally {
    db.close();
  }
}

const HEADER = ['operation'.padEnd(36), 'req/s'.padStart(8), 'empty req/s'.padStart(11), 'ratio'.padStart(7),
  'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(6)].join('  ');

function row(name: string, r: LoadResult, base: LoadResult): string {
  return [name.padEnd(36), r.rps.toFixed(0).padStart(8), base.rps.toFixed(0).padStart(11), (r.rps / base.rps).toFixed(3).padStart(7),
    r.p50ms.toFixed(2).padStart(8), r.p99ms.toFixed(2).padStart(8), String(r.errors).padStart(6)].join('  ');
}

function pick<T>(items: readonly T[], n: number): T[] {
  return Array.from({ length: n }, () => items[Math.floor(Math.random() * items.length)] as T);
}

async function measure(skiff: Started, empty: Started, label: string): Promise<void> {
  const listed = await walk(skiff.endpoint);
  console.log(`\n${label}: ${listed.arns.length} STOPPED tasks; ListTasks walk of all ${listed.tokens.length} pages (c=1): ${listed.seconds.toFixed(2)} s`);
  console.log(HEADER);
  const arns = listed.arns;
  const describe1 = (): Request => ({ target: `${TARGET}.DescribeTasks`, body: JSON.stringify({ tasks: pick(arns, 1) }) });
  const describe100 = (): Request => ({ target: `${TARGET}.DescribeTasks`, body: JSON.stringify({ tasks: pick(arns, 100) }) });
  const list = (i: number): Request => ({ target: `${TARGET}.ListTasks`,
    body: JSON.stringify({ desiredStatus: 'STOPPED', maxResults: 100, nextToken: listed.tokens[i % listed.tokens.length] }) });
  const run = (): Request => ({ target: `${TARGET}.RunTask`, body: RUN });
  const clusters = (): Request => ({ target: `${TARGET}.DescribeClusters`, body: '{"clusters":["default"]}' });
  for (const c of [1, 32]) {
    const base = await runLoad(empty.endpoint, c, SECONDS, describe1);
    const r = await runLoad(skiff.endpoint, c, SECONDS, run);
    console.log(row(`RunTask c=${c}`, r, base) + `   (then ${(await drained(skiff.endpoint)).toFixed(1)} s until all STOPPED)`);
    console.log(row(`DescribeTasks 1 task c=${c}`, await runLoad(skiff.endpoint, c, SECONDS, describe1), base));
    console.log(row(`DescribeTasks 100 tasks c=${c}`, await runLoad(skiff.endpoint, c, SECONDS, describe100), base));
    console.log(row(`ListTasks STOPPED page c=${c}`, await runLoad(skiff.endpoint, c, SECONDS, list), base));
    console.log(row(`DescribeClusters (task counts) c=${c}`, await runLoad(skiff.endpoint, c, SECONDS, clusters), base));
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skiff-bench-cp-'));
  let skiff = await startFakeSkiff(dataDir);
  const empty = await startNode(['--import', 'tsx', 'bench/empty-server.ts']);
  try {
    console.log(`skiff up --driver fake (scripted containers, no Docker: the control plane alone); ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}`);
    console.log(`${SECONDS} s per measurement; ratio = skiff / empty node:http handler (same run, same client); one task per RunTask, its container exits at once`);
    await call(skiff.endpoint, 'RegisterTaskDefinition', {
      family: 'bench', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512',
      containerDefinitions: [{ name: 'app', image: 'bench/app:1', essential: true, environment: [{ name: 'FAKE_RUN_MS', value: '0' }] }],
    });
    let t0 = performance.now();
    await seedThroughApi(skiff.endpoint, API_SEED);
    console.log(`${API_SEED} tasks run to STOPPED through the API (RunTask count=10, 4 in flight): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await measure(skiff, empty, 'fresh store');
    const { taskArns } = await call<{ taskArns: string[] }>(skiff.endpoint, 'ListTasks', { desiredStatus: 'STOPPED', maxResults: 1 });
    const { tasks } = await call<{ tasks: { version: number }[] }>(skiff.endpoint, 'DescribeTasks', { tasks: taskArns });
    const probeDir = mkdtempSync(path.join(os.tmpdir(), 'skiff-bench-cp-commit-'));
    const commitMs = commitCost(probeDir);
    rmSync(probeDir, { recursive: true, force: true });
    console.log(`\nwrites of one task's record, RunTask to STOPPED (its version): ${tasks[0]?.version}; one synchronous=FULL WAL commit on this disk: ${commitMs.toFixed(2)} ms (median of 200)`);

    await stopProcess(skiff.child);
    t0 = performance.now();
    const cloned = cloneHistory(dataDir, HISTORY);
    console.log(`\nhistory filled to ${HISTORY} with ${cloned} copies of those tasks through TaskRepository.create (skiff stopped): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`store size with that history: ${(storeBytes(dataDir) / 1e6).toFixed(0)} MB (skiff.db and its WAL)`);
    t0 = performance.now();
    skiff = await startFakeSkiff(dataDir);
    console.log(`skiff up restarted over it, ready in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    await measure(skiff, empty, `${HISTORY / 1000}k history`);
  } finally {
    await stopProcess(skiff.child);
    await stopProcess(empty.child);
    if (KEEP) console.log(`data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
