import type { JsonService } from '../api/index.js';
import type { AccountScope, Clock, IdGenerator, Logger } from '../core/index.js';
import type { Store } from '../store/index.js';
import type { StatesContext } from './api/context.js';
import { NestedExecutions } from './integrations/executions.js';
import { EcsTasks, type EcsIntegration } from './integrations/ecs.js';
import { EventsPut, type EventsIntegration } from './integrations/events.js';
import { createStatesService } from './provider.js';
import type { ExecutionHost, TaskIntegration } from './runtime/contract.js';
import { TaskDispatcher } from './runtime/dispatch.js';
import { Runtime } from './runtime/runtime.js';
import { StatesStore } from './store.js';

export type { EcsIntegration } from './integrations/ecs.js';
export type { EventsIntegration } from './integrations/events.js';
export { StatesApiErrors } from './errors.js';

export interface StatesDeps {
  readonly store: Pick<Store, 'db' | 'tags'>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly scope: AccountScope;
  readonly logger: Logger;
  /** Runs `arn:aws:states:::ecs:runTask[.sync|.waitForTaskToken]`; without it those states fail. */
  readonly ecs?: EcsIntegration | undefined;
  /** Runs `arn:aws:states:::events:putEvents`; without it those states fail. */
  readonly events?: EventsIntegration | undefined;
  /** GetActivityTask's longest wait (default 60 s, as AWS). */
  readonly activityPollMs?: number | undefined;
  /** ECS `.sync` polling interval (default 1 s). */
  readonly ecsPollMs?: number | undefined;
  /** The longest an EXPRESS execution runs (default 300 s, as AWS). */
  readonly expressMaxSeconds?: number | undefined;
}

export interface States {
  /** Step Functions (awsJson 1.0, `AWSStepFunctions`): `edge.addJsonService(states.service)`. */
  readonly service: JsonService;
  /** Resumes every RUNNING execution (timers, tasks); call before serving. */
  start(): Promise<void>;
  /** Releases long polls and stops timers and integrations; executions resume at the next start. */
  stop(): Promise<void>;
  /** For the event bus's state machine targets: starts an execution, resolves with its ARN. */
  startExecution(stateMachineArn: string, input: string, name?: string): Promise<string>;
}

/** Builds Step Functions over the shared database. */
export function createStates(deps: StatesDeps): States {
  const store = new StatesStore(deps.store.db);
  const integrations: Record<string, TaskIntegration | undefined> = {};
  const dispatcher = new TaskDispatcher({ store, logger: deps.logger, integrations });
  const runtime = new Runtime({ store, clock: deps.clock, logger: deps.logger, dispatcher, expressMaxSeconds: deps.expressMaxSeconds });
  const ctx: StatesContext = {
    store, runtime, tags: deps.store.tags, clock: deps.clock, ids: deps.ids, scope: deps.scope, logger: deps.logger,
    activityPollMs: deps.activityPollMs ?? 60_000,
  };
  const service = createStatesService(ctx);
  const call = async <T>(op: string, input: Record<string, unknown>): Promise<T> => {
    const handler = service.operations[op];
    if (!handler) throw new Error(`no operation ${op}`);
    return (await handler(input, { requestId: 'states-internal', ...deps.scope, signingService: 'states', accessKeyId: undefined })) as T;
  };
  const host: ExecutionHost = {
    startChild: async (machineArn, name, input) => {
      const text = JSON.stringify(input);
      try {
        const out = await call<{ executionArn: string; startDate: Date }>('StartExecution', { stateMachineArn: machineArn, name, input: text });
        return out;
      } catch (err) {
        const existing = name ? findByName(store, machineArn, name) : undefined;
        if ((err as { code?: string }).code === 'ExecutionAlreadyExists' && existing) return existing;
        throw err;
      }
    },
    describe: (arn) => runtime.describe(arn),
    waitFor: (arn) => runtime.waitFor(arn),
    stop: async (arn, cause) => {
      await runtime.deliver(arn, { type: 'stop', error: 'States.Aborted', cause });
    },
  };
  integrations['states'] = new NestedExecutions(host);
  if (deps.ecs) integrations['ecs'] = new EcsTasks(deps.ecs, deps.ecsPollMs);
  if (deps.events) integrations['events'] = new EventsPut(deps.events);
  return {
    service,
    start: () => runtime.start(),
    stop: () => runtime.stop(),
    startExecution: async (stateMachineArn, input, name) => {
      const out = await call<{ executionArn: string }>('StartExecution', { stateMachineArn, input, name });
      return out.executionArn;
    },
  };
}

/** The child a restarted parent started before (same derived name), after it finished. */
function findByName(store: StatesStore, machineArn: string, name: string): { executionArn: string; startDate: Date } | undefined {
  const arn = `${machineArn.replace(':stateMachine:', ':execution:').split(':').slice(0, 7).join(':')}:${name}`;
  const row = store.getExecution(arn);
  return row ? { executionArn: row.arn, startDate: new Date(row.startMs) } : undefined;
}

