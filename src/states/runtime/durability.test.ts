import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, systemClock } from '../../core/index.js';
import { openDatabase, type Db } from '../../store/index.js';
import type { HistoryEvent } from '../engine/index.js';
import { StatesHarness } from '../harness.test-support.js';
import type { EventsIntegration } from '../index.js';
import { unpackEvents } from '../packing.js';
import { StatesStore } from '../store.js';
import { TaskDispatcher } from './dispatch.js';
import { Runtime } from './runtime.js';

/**
 * The durability contract at a commit boundary: pure steps may run ahead of the disk and
 * be committed together, but nothing outside the process (a task dispatched, an activity
 * token handed out, StartExecution answered) happens before the events leading to it are
 * committed; a crash between commits resumes from the last one with no event lost or
 * repeated.
 */

/** What another connection sees: only committed transactions. */
class Committed {
  private readonly db: Database.Database;

  constructor(dir: string) {
    this.db = new Database(path.join(dir, 'skiff.db'), { readonly: true });
  }

  events(arn: string): HistoryEvent[] {
    const rows = this.db.prepare('SELECT doc FROM states_history WHERE execution_arn = ? ORDER BY id').all(arn) as { doc: string }[];
    return rows.flatMap((r) => unpackEvents(r.doc));
  }

  execution(arn: string): { status: string } | undefined {
    return this.db.prepare('SELECT status FROM states_executions WHERE arn = ?').get(arn) as { status: string } | undefined;
  }

  task(arn: string): { status: string } | undefined {
    return this.db.prepare('SELECT status FROM states_tasks WHERE execution_arn = ?').get(arn) as { status: string } | undefined;
  }

  close(): void {
    this.db.close();
  }
}

/** n Pass states, then `last`. */
function passChain(n: number, last: Record<string, unknown>): object {
  const states: Record<string, object> = {};
  for (let i = 0; i < n; i++) states[`P${i}`] = { Type: 'Pass', Result: i, ResultPath: '$.i', Next: i === n - 1 ? 'Last' : `P${i + 1}` };
  return { StartAt: 'P0', States: { ...states, Last: last } };
}

const ids = (events: HistoryEvent[]): number[] => events.map((e) => e.id);
const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

let h: StatesHarness | undefined;
let committed: Committed | undefined;
afterEach(async () => {
  committed?.close();
  committed = undefined;
  await h?.close();
  h?.cleanup();
  h = undefined;
});

describe('group commit: no external effect before its events are committed', () => {
  it('dispatches a task only once every event up to its TaskScheduled is committed, after a burst of 1,200 Pass states', async () => {
    const seen: { events: HistoryEvent[]; task?: { status: string } | undefined }[] = [];
    let executionArn = '';
    const events: EventsIntegration = {
      putEvents: async (entries) => {
        seen.push({ events: committed?.events(executionArn) ?? [], task: committed?.task(executionArn) });
        return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: 'e' })) };
      },
    };
    h = await new StatesHarness({ events }).open();
    committed = new Committed(h.dir);
    const m = await h.machine('burst', passChain(1200, { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [{ Source: 's', DetailType: 'd', Detail: {} }] }, End: true }));
    // the task is dispatched before StartExecution answers (the whole burst is one group)
    executionArn = `${m.replace(':stateMachine:', ':execution:')}:one`;
    expect(await h.start(m, {}, 'one')).toBe(executionArn);
    // StartExecution answered: the execution and its first steps are on disk
    expect(committed.execution(executionArn)?.status).toBe('RUNNING');
    expect(committed.events(executionArn).length).toBeGreaterThan(1);
    expect((await h.finished(executionArn)).status).toBe('SUCCEEDED');
    expect(seen).toHaveLength(1);
    const at = seen[0];
    const scheduled = at?.events.findIndex((e) => e.type === 'TaskScheduled') ?? -1;
    expect(scheduled).toBe(1 + 2 * 1200 + 1); // after ExecutionStarted, 1,200 × (Entered, Exited) and TaskStateEntered
    expect(ids(at?.events ?? [])).toEqual(upTo(at?.events.length ?? 0));
    expect(at?.task?.status).toBe('SCHEDULED');
  });

  it('hands out an activity token only once its ActivityStarted is committed', async () => {
    h = await new StatesHarness().open();
    committed = new Committed(h.dir);
    const { activityArn } = await h.call<{ activityArn: string }>('CreateActivity', { name: 'work' });
    const e = await h.start(await h.machine('act', passChain(700, { Type: 'Task', Resource: activityArn, End: true })), {});
    const task = await h.call<{ taskToken?: string }>('GetActivityTask', { activityArn, workerName: 'w' });
    expect(task.taskToken).toBeTypeOf('string');
    const types = committed.events(e).map((x) => x.type);
    expect(types.slice(-3)).toEqual(['TaskStateEntered', 'ActivityScheduled', 'ActivityStarted']);
    expect(committed.task(e)?.status).toBe('STARTED');
    await h.call('SendTaskSuccess', { taskToken: task.taskToken, output: '{}' });
    // SendTaskSuccess answered: its events are committed
    expect(committed.events(e).map((x) => x.type)).toContain('ActivitySucceeded');
  });

  it('keeps committing a machine that never stops (a Choice loop) and answers StartExecution and StopExecution', async () => {
    h = await new StatesHarness().open();
    committed = new Committed(h.dir);
    const loop = await h.machine('loop', {
      StartAt: 'Inc',
      States: {
        Inc: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Again' },
        Again: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 0, Next: 'Never' }], Default: 'Inc' },
        Never: { Type: 'Succeed' },
      },
    });
    const e = await h.start(loop, { n: 0 });
    const first = committed.events(e).length;
    for (let i = 0; i < 200 && committed.events(e).length <= first; i++) await new Promise((r) => setTimeout(r, 10));
    expect(committed.events(e).length).toBeGreaterThan(first);
    await h.call('StopExecution', { executionArn: e });
    expect(committed.execution(e)?.status).toBe('ABORTED');
    expect(committed.events(e).at(-1)?.type).toBe('ExecutionAborted');
  });
});

describe('a crash between group commits', () => {
  let dir: string;
  const dbs: Db[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function runtime(): { runtime: Runtime; db: Db } {
    const db = openDatabase(dir);
    dbs.push(db);
    const store = new StatesStore(db);
    const dispatcher = new TaskDispatcher({ store, logger: silentLogger, integrations: {} });
    return { runtime: new Runtime({ store, clock: systemClock, logger: silentLogger, dispatcher, budget: 50, groupSteps: 3 }), db };
  }

  const definition = JSON.stringify(passChain(1000, { Type: 'Succeed' }));
  const start = (r: Runtime, name: string): ReturnType<Runtime['startExecution']> =>
    r.startExecution({
      arn: `arn:aws:states:us-east-1:000000000000:execution:m:${name}`, machineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m', machineName: 'm', name,
      input: {}, roleArn: 'arn:aws:iam::000000000000:role/r', definition, durable: true, seed: 'same-seed',
    });
  const shape = (events: HistoryEvent[]): unknown[] => events.map((e) => [e.id, e.previousEventId, e.type, e.details]);

  it('resumes from the last commit: the same events, none lost or repeated, as an uninterrupted run', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-states-crash-'));
    const clean = runtime();
    const ref = await start(clean.runtime, 'clean');
    await ref.done;
    const expected = new StatesStore(clean.db).history(ref.arn, 0, false, 10_000);
    expect(expected).toHaveLength(2 + 2000 + 2);

    const first = runtime();
    const live = await start(first.runtime, 'crashed');
    const atAck = new Committed(dir);
    const acked = atAck.events(live.arn);
    atAck.close();
    // StartExecution was answered after the first group: 3 steps of 50 transitions
    expect(ids(acked)).toEqual(upTo(1 + 2 * 150));
    first.db.close(); // kill -9: the group running now never commits

    const second = runtime();
    await second.runtime.start();
    await second.runtime.waitFor(live.arn);
    const store = new StatesStore(second.db);
    expect(store.getExecution(live.arn)?.status).toBe('SUCCEEDED');
    expect(shape(store.history(live.arn, 0, false, 10_000))).toEqual(shape(expected));
    await second.runtime.stop();
    await clean.runtime.stop();
  });
});
