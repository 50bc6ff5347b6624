import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestContext } from '../api/index.js';
import { randomIds, silentLogger, systemClock } from '../core/index.js';
import { createStore, openDatabase, type Store } from '../store/index.js';
import { createStates, type States, type StatesDeps } from './index.js';

const request: RequestContext = { requestId: 'r', region: 'us-east-1', account: '000000000000', signingService: 'states', accessKeyId: undefined };
export const ROLE = 'arn:aws:iam::000000000000:role/test';

/** Step Functions over a temporary database, called the way the edge calls it. */
export class StatesHarness {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-states-'));
  store!: Store;
  states!: States;

  constructor(private readonly extra: Partial<StatesDeps> = {}) {}

  async open(): Promise<this> {
    this.store = createStore(openDatabase(this.dir));
    this.states = createStates({ store: this.store, clock: systemClock, ids: randomIds, scope: { region: 'us-east-1', account: '000000000000' }, logger: silentLogger, activityPollMs: 2000, ecsPollMs: 20, ...this.extra });
    await this.states.start();
    return this;
  }

  async call<T = Record<string, unknown>>(op: string, input: Record<string, unknown> = {}): Promise<T> {
    const h = this.states.service.operations[op];
    if (!h) throw new Error(`no operation ${op}`);
    return (await h(JSON.parse(JSON.stringify(input)) as Record<string, unknown>, request)) as T;
  }

  /** Stops the runtime and closes the database: what survives is exactly what a kill -9 leaves. */
  async close(): Promise<void> {
    await this.states.stop();
    this.store.db.close();
  }

  async restart(): Promise<void> {
    await this.close();
    await this.open();
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  async machine(name: string, definition: object, extra: Record<string, unknown> = {}): Promise<string> {
    const out = await this.call<{ stateMachineArn: string }>('CreateStateMachine', { name, definition: JSON.stringify(definition), roleArn: ROLE, ...extra });
    return out.stateMachineArn;
  }

  async start(stateMachineArn: string, input: unknown = {}, name?: string): Promise<string> {
    const out = await this.call<{ executionArn: string }>('StartExecution', { stateMachineArn, input: JSON.stringify(input), name });
    return out.executionArn;
  }

  async describe(executionArn: string): Promise<{ status: string; output?: string; error?: string; cause?: string }> {
    return this.call('DescribeExecution', { executionArn });
  }

  /** Polls DescribeExecution until the execution is no longer RUNNING. */
  async finished(executionArn: string, timeoutMs = 10_000): Promise<{ status: string; output?: string; error?: string; cause?: string }> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const d = await this.describe(executionArn);
      if (d.status !== 'RUNNING' || Date.now() > until) return d;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async historyTypes(executionArn: string): Promise<string[]> {
    const out = await this.call<{ events: { type: string }[] }>('GetExecutionHistory', { executionArn, maxResults: 1000 });
    return out.events.map((e) => e.type);
  }
}
