/**
 * Workflows: state transitions per second of Skiff's ASL engine with its durable SQLite
 * runtime, beside aws-local-stepfunctions (in memory) on the same definitions, in one run.
 *
 *   node --import tsx bench/states.ts        (BENCH_RUNS=5 BENCH_STATES=1000 BENCH_ITEMS=1000)
 *
 * Definitions: a chain of BENCH_STATES Pass states (each copies a field with
 * Parameters), and a Map over BENCH_ITEMS items whose iteration is one Pass state.
 * Engines, per definition and run (sequential; after one warm-up run), each definition
 * compiled once (Skiff's runtime caches machines by definition hash; the reference's
 * StateMachine is constructed once) so only executions are timed:
 *   skiff durable   Runtime.startExecution on a fresh SQLite database (WAL,
 *                   synchronous=FULL, as `skiff up` opens it) until the execution ends:
 *                   every activation, history event and timer/task change committed
 *                   (the transactions are counted by wrapping StatesStore.transaction)
 *   skiff memory    the same engine with no persistence (simulate(): the engine's share)
 *   reference       aws-local-stepfunctions StateMachine.run (in memory, no history kept)
 * A transition is one state entered (a Map iteration's state counts). Medians are printed
 * with the ratio to the reference.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger, systemClock } from '../src/core/index.js';
import { parseDefinition } from '../src/states/asl/parse.js';
import type { Machine } from '../src/states/asl/types.js';
import { referenceMachine } from '../src/states/corpus/reference.js';
import { simulate } from '../src/states/engine/simulate.js';
import { TaskDispatcher } from '../src/states/runtime/dispatch.js';
import { Runtime } from '../src/states/runtime/runtime.js';
import { StatesStore } from '../src/states/store.js';
import { openDatabase } from '../src/store/index.js';

const RUNS = positive('BENCH_RUNS', 5);
const STATES = positive('BENCH_STATES', 1000);
const ITEMS = positive('BENCH_ITEMS', 1000);

function positive(name: string, fallback: number): number {
  const v = Math.floor(Number(process.env[name] ?? fallback));
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

interface Case {
  name: string;
  definition: object;
  input: object;
  transitions: number;
}

function chain(n: number): Case {
  const states: Record<string, object> = {};
  for (let i = 0; i < n; i++) {
    states[`S${i}`] = { Type: 'Pass', Parameters: { 'n.$': '$.n', step: i }, ...(i === n - 1 ? { End: true } : { Next: `S${i + 1}` }) };
  }
  return { name: `Pass chain of ${n}`, definition: { StartAt: 'S0', States: states }, input: { n: 1 }, transitions: n };
}

function map(n: number): Case {
  const definition = {
    StartAt: 'M',
    States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', Parameters: { 'v.$': '$.i' }, End: true } } }, End: true } },
  };
  return { name: `Map over ${n} items`, definition, input: { items: Array.from({ length: n }, (_, i) => ({ i })) }, transitions: n + 1 };
}

function compile(c: Case): Machine {
  const parsed = parseDefinition(JSON.stringify(c.definition));
  if (!parsed.machine) throw new Error(`${c.name}: ${JSON.stringify(parsed.diagnostics)}`);
  return parsed.machine;
}

/** Runs executions on one runtime over one fresh database (the definition compiled once, as `skiff up` caches it). */
class Durable {
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-bench-states-'));
  private readonly db = openDatabase(this.dir);
  private readonly runtime: Runtime;
  private transactions = 0;

  constructor(private readonly c: Case) {
    const store = new StatesStore(this.db);
    const transaction = store.transaction.bind(store);
    store.transaction = <T>(fn: () => T): T => {
      this.transactions += 1;
      return transaction(fn);
    };
    const dispatcher = new TaskDispatcher({ store, logger: silentLogger, integrations: {} });
    this.runtime = new Runtime({ store, clock: systemClock, logger: silentLogger, dispatcher });
  }

  /** One execution: ms until it ended, and the history events, rows, activations and transactions it committed. */
  async run(n: number): Promise<{ ms: number; events: number; rows: number; activations: number; commits: number }> {
    const arn = `arn:aws:states:us-east-1:000000000000:execution:bench:run${n}`;
    const before = this.transactions;
    const t0 = process.hrtime.bigint();
    const live = await this.runtime.startExecution({
      arn, machineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench', machineName: 'bench', name: `run${n}`, input: this.c.input as never,
      roleArn: 'arn:aws:iam::000000000000:role/bench', definition: JSON.stringify(this.c.definition), durable: true, seed: `bench${n}`,
    });
    await live.done;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (live.state.status !== 'SUCCEEDED') throw new Error(`${this.c.name}: ${live.state.status} ${live.state.cause ?? ''}`);
    const count = (what: string, table: string): number => (this.db.prepare(`SELECT ${what} AS n FROM ${table} WHERE execution_arn = ?`).get(arn) as { n: number }).n;
    return {
      ms, events: count('max(id)', 'states_history'), rows: count('count(*)', 'states_history'), activations: count('count(*)', 'states_activations'),
      commits: this.transactions - before,
    };
  }

  async close(): Promise<void> {
    await this.runtime.stop();
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function memory(c: Case, m: Machine): Promise<number> {
  const t0 = process.hrtime.bigint();
  const r = await simulate(m, { input: c.input as never });
  if (r.status !== 'SUCCEEDED') throw new Error(`${c.name}: ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function reference(c: Case, sm: ReturnType<typeof referenceMachine>): Promise<number> {
  const t0 = process.hrtime.bigint();
  const r = await sm.run(c.input as never, (_state, input) => ({ output: input }));
  if (r.error) throw new Error(`${c.name}: reference failed with ${r.error}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function main(): Promise<void> {
  const cases = [chain(STATES), map(ITEMS)];
  const table: string[][] = [];
  for (const c of cases) {
    const m = compile(c);
    const sm = referenceMachine(c.definition as never);
    const durable = new Durable(c);
    const times = { durable: [] as number[], memory: [] as number[], reference: [] as number[] };
    let events = 0;
    let rows = 0;
    let activations = 0;
    let commits = 0;
    for (let run = 0; run <= RUNS; run++) {
      const d = await durable.run(run);
      const mem = await memory(c, m);
      const ref = await reference(c, sm);
      if (run === 0) continue; // warm-up
      times.durable.push(d.ms);
      times.memory.push(mem);
      times.reference.push(ref);
      events = d.events;
      rows = d.rows;
      activations = d.activations;
      commits = d.commits;
    }
    await durable.close();
    const tps = (ms: number): number => (c.transitions / ms) * 1000;
    const ref = median(times.reference);
    for (const [label, list] of [['skiff durable (SQLite)', times.durable], ['skiff engine, in memory', times.memory], ['aws-local-stepfunctions', times.reference]] as const) {
      const ms = median(list);
      table.push([c.name, label, String(RUNS), ms.toFixed(1), Math.round(tps(ms)).toLocaleString('en-US'), label.startsWith('aws-') ? 'baseline' : (ref / ms).toFixed(2)]);
    }
    table.push([c.name, `(durable: ${events} history events in ${rows} rows, ${activations} activations in ${commits} transaction${commits === 1 ? '' : 's'})`, '', '', '', '']);
  }
  const head = ['definition', 'engine', 'runs', 'median ms', 'transitions/s', 'speed vs reference'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(head));
  for (const r of table) console.log(line(r));
  console.log(`\none synchronous=FULL WAL commit of one small row on this disk: ${commitCost().toFixed(2)} ms (median of 50)`);
}

/** The floor under every durable step: one committed transaction. */
function commitCost(): number {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-bench-commit-'));
  const db = openDatabase(dir, []);
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = process.hrtime.bigint();
    db.transaction(() => insert.run('x'))();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return median(times);
}

await main();
