import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunTaskRequest } from '@aws-sdk/client-ecs';
import type { RequestContext } from '../api/index.js';
import { AwsError, clientError, ManualClock, sequentialIds, silentLogger } from '../core/index.js';
import { createStore, openDatabase, type Store } from '../store/index.js';
import type { EcsTaskTarget, StartExecutionTarget } from './delivery/invoke.js';
import { createEvents, type Events } from './events.js';
import type { EventsOptions } from './options.js';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
export const SCOPE = { region: 'us-east-1', account: '000000000000' };
export const REQUEST: RequestContext = { requestId: 'r', ...SCOPE, signingService: 'events', accessKeyId: undefined };
export const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/default';
export const TASK_DEF = 'arn:aws:ecs:us-east-1:000000000000:task-definition/worker:1';

/** An ECS port that records RunTask calls and fails while `failWith` is set. */
export class FakeEcs implements EcsTaskTarget {
  readonly calls: RunTaskRequest[] = [];
  failWith: AwsError | undefined;
  private n = 0;

  runTask(request: RunTaskRequest): Promise<{ taskArns: string[]; failures: unknown[] }> {
    this.calls.push(request);
    if (this.failWith) return Promise.reject(this.failWith);
    const arns = Array.from({ length: request.count ?? 1 }, () => `arn:aws:ecs:us-east-1:000000000000:task/default/${(++this.n).toString(16).padStart(32, '0')}`);
    return Promise.resolve({ taskArns: arns, failures: [] });
  }
}

export class FakeStates implements StartExecutionTarget {
  readonly calls: { arn: string; input: string; name: string | undefined }[] = [];

  startExecution(arn: string, input: string, name?: string): Promise<string> {
    this.calls.push({ arn, input, name });
    return Promise.resolve(`${arn.replace(':stateMachine:', ':execution:')}:${name ?? 'x'}`);
  }
}

export const taskDefinitionGone = (): AwsError => new AwsError(clientError('InvalidParameterException'), 'TaskDefinition not found.');

export interface Harness {
  readonly dir: string;
  readonly store: Store;
  readonly clock: ManualClock;
  readonly ecs: FakeEcs;
  readonly states: FakeStates;
  events: Events;
  call<T = Record<string, unknown>>(operation: string, input: Record<string, unknown>): T;
  skiff<T = Record<string, unknown>>(operation: string, input: Record<string, unknown>): T;
  /** Closes and reopens the database and the events capability on the same data directory. */
  restart(): void;
  close(): void;
}

export function harness(options: Partial<EventsOptions> = {}): Harness {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skiff-events-'));
  const clock = new ManualClock(T0);
  const ecs = new FakeEcs();
  const states = new FakeStates();
  const ids = sequentialIds();
  const build = (store: Store): Events =>
    createEvents({ store, clock, ids, scope: SCOPE, logger: silentLogger, options, ecs, stepFunctions: states, maxBodyBytes: 1 << 20 });
  let store = createStore(openDatabase(dir));
  const h: Harness = {
    dir,
    get store() {
      return store;
    },
    clock,
    ecs,
    states,
    events: build(store),
    call: <T>(operation: string, input: Record<string, unknown>): T => invoke(h.events.service.operations, operation, input) as T,
    skiff: <T>(operation: string, input: Record<string, unknown>): T => invoke(h.events.deadLetters.operations, operation, input) as T,
    restart: () => {
      store.db.close();
      store = createStore(openDatabase(dir));
      h.events = build(store);
    },
    close: () => {
      store.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

function invoke(operations: Readonly<Record<string, (i: Record<string, unknown>, c: RequestContext) => unknown>>, operation: string, input: Record<string, unknown>): unknown {
  const handler = operations[operation];
  if (!handler) throw new Error(`no operation ${operation}`);
  return handler(input, REQUEST);
}

/** The error an operation fails with. */
export function failure(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AwsError) return err;
    throw err;
  }
  throw new Error('the call did not fail');
}

/** An ECS target whose InputTransformer turns an event's detail.key into S3_KEY. */
export function ecsTarget(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Id: 'worker',
    Arn: CLUSTER,
    RoleArn: 'arn:aws:iam::000000000000:role/ecsEventsRole',
    EcsParameters: {
      TaskDefinitionArn: TASK_DEF,
      TaskCount: 1,
      LaunchType: 'FARGATE',
      NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['subnet-1'], AssignPublicIp: 'ENABLED' } },
    },
    InputTransformer: {
      InputPathsMap: { key: '$.detail.key' },
      InputTemplate: '{"containerOverrides":[{"name":"worker","environment":[{"name":"S3_KEY","value":<key>}]}]}',
    },
    ...extra,
  };
}
