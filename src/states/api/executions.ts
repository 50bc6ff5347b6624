import type {
  DescribeExecutionInput, DescribeExecutionOutput, DescribeStateMachineForExecutionInput, DescribeStateMachineForExecutionOutput,
  ListExecutionsInput, ListExecutionsOutput, StartExecutionInput, StartExecutionOutput, StartSyncExecutionInput, StartSyncExecutionOutput,
  StopExecutionInput, StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import { decodeToken, encodeToken } from '../../core/index.js';
import type { Json } from '../asl/json.js';
import { PAYLOAD_LIMIT } from '../engine/index.js';
import { StatesApiErrors, statesError, validation } from '../errors.js';
import { checkName, executionArn, expressExecutionArn, parseStatesArn } from '../names.js';
import type { Live } from '../runtime/commit.js';
import type { ExecutionRow } from '../store.js';
import { pageSize, type StatesContext } from './context.js';
import type { StateMachines } from './machines.js';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

/** The execution input: JSON text of at most 256 KiB, `{}` when absent. */
export function parseInput(text: string | undefined): Json {
  const t = text ?? '{}';
  if (Buffer.byteLength(t) > PAYLOAD_LIMIT) throw statesError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is larger than 262144 bytes');
  try {
    return JSON.parse(t) as Json;
  } catch (err) {
    throw statesError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(err as Error).message}'`);
  }
}

/** StartExecution, StartSyncExecution, StopExecution, DescribeExecution, ListExecutions. */
export class Executions {
  constructor(
    private readonly ctx: StatesContext,
    private readonly machines: StateMachines,
  ) {}

  /** The stored execution an ARN names, else ExecutionDoesNotExist. */
  require(arn: string | undefined): ExecutionRow & { seq: number } {
    const { type } = parseStatesArn(arn, ['execution', 'express']);
    const row = type === 'execution' ? this.ctx.store.getExecution(arn ?? '') : undefined;
    if (!row) {
      const why = type === 'express' ? ' (skiff keeps no record of EXPRESS executions, as AWS keeps them only in CloudWatch Logs)' : '';
      throw statesError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn ?? ''}'${why}`);
    }
    return row;
  }

  async start(req: StartExecutionInput): Promise<StartExecutionOutput> {
    const { machine, version, versionArn } = this.machines.resolve(req.stateMachineArn);
    const name = checkName(req.name ?? this.ctx.ids.uuid());
    const input = parseInput(req.input);
    const express = machine.type === 'EXPRESS';
    const arn = express ? expressExecutionArn(this.ctx.scope, machine.name, name, this.ctx.ids.uuid()) : executionArn(this.ctx.scope, machine.name, name);
    const existing = express ? undefined : this.ctx.store.getExecution(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.doc.input === JSON.stringify(input)) return { executionArn: arn, startDate: new Date(existing.startMs) };
      throw statesError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const live = await this.ctx.runtime.startExecution({
      arn, machineArn: machine.arn, machineName: machine.name, name, input, roleArn: version?.roleArn ?? machine.roleArn,
      definition: version?.definition ?? machine.definition, versionArn, durable: !express, atLeastOnce: express, seed: this.seed(),
      guard: () => {
        if (!express && this.ctx.store.getExecution(arn)) throw statesError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
      },
    });
    return { executionArn: arn, startDate: new Date(live.state.info.startTime) };
  }

  private seed(): string {
    return `${this.ctx.ids.hex32()}${this.ctx.ids.hex32()}`;
  }

  /** EXPRESS only: runs the execution to its end and answers with its result. */
  async startSync(req: StartSyncExecutionInput): Promise<StartSyncExecutionOutput> {
    const { machine, version, versionArn } = this.machines.resolve(req.stateMachineArn);
    if (machine.type !== 'EXPRESS') throw statesError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    const name = checkName(req.name ?? this.ctx.ids.uuid());
    const input = parseInput(req.input);
    const arn = expressExecutionArn(this.ctx.scope, machine.name, name, this.ctx.ids.uuid());
    const live = await this.ctx.runtime.startExecution({
      arn, machineArn: machine.arn, machineName: machine.name, name, input, roleArn: version?.roleArn ?? machine.roleArn,
      definition: version?.definition ?? machine.definition, versionArn, durable: false, seed: this.seed(),
    });
    await live.done;
    return syncResult(live, versionArn ?? machine.arn, this.ctx.clock.now().getTime());
  }

  async stop(req: StopExecutionInput): Promise<StopExecutionOutput> {
    const row = this.require(req.executionArn);
    if (req.error !== undefined && req.error.length > 256) throw validation('error', req.error, 'have length less than or equal to 256');
    if (req.cause !== undefined && req.cause.length > 32768) throw validation('cause', req.cause, 'have length less than or equal to 32768');
    if (row.status === 'RUNNING') await this.ctx.runtime.deliver(row.arn, { type: 'stop', error: req.error, cause: req.cause });
    const after = this.require(row.arn);
    return { stopDate: new Date(after.stopMs ?? this.ctx.clock.now().getTime()) };
  }

  describe(req: DescribeExecutionInput): DescribeExecutionOutput {
    const e = this.require(req.executionArn);
    return {
      executionArn: e.arn, stateMachineArn: e.machineArn, name: e.name, status: e.status, startDate: new Date(e.startMs),
      stopDate: e.stopMs === undefined ? undefined : new Date(e.stopMs), input: e.doc.input, inputDetails: { included: true },
      output: e.doc.output, outputDetails: e.doc.output === undefined ? undefined : { included: true }, error: e.doc.error, cause: e.doc.cause,
      stateMachineVersionArn: e.doc.versionArn, redriveCount: 0, redriveStatus: 'NOT_REDRIVABLE',
    };
  }

  list(req: ListExecutionsInput): ListExecutionsOutput {
    if (req.mapRunArn !== undefined) throw statesError('ValidationException', 'skiff has no distributed Map runs; list executions by stateMachineArn.');
    if (req.stateMachineArn === undefined) throw statesError('ValidationException', 'Must provide a StateMachine ARN or a MapRun ARN.');
    const { machine, versionArn } = this.machines.resolve(req.stateMachineArn);
    if (machine.type === 'EXPRESS') throw statesError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    if (req.statusFilter !== undefined && !STATUSES.includes(req.statusFilter)) {
      throw validation('statusFilter', req.statusFilter, `satisfy enum value set: [${STATUSES.join(', ')}]`);
    }
    const limit = pageSize(req.maxResults);
    const before = req.nextToken ? Number(decodeToken(req.nextToken, StatesApiErrors.InvalidToken)) : undefined;
    const rows = this.ctx.store.listExecutions(machine.arn, req.statusFilter, before, limit + 1, versionArn);
    const page = rows.slice(0, limit);
    return {
      executions: page.map((e) => ({
        executionArn: e.arn, stateMachineArn: e.machineArn, name: e.name, status: e.status, startDate: new Date(e.startMs),
        stopDate: e.stopMs === undefined ? undefined : new Date(e.stopMs), stateMachineVersionArn: e.doc.versionArn,
      })),
      nextToken: rows.length > limit ? encodeToken(String(page[page.length - 1]?.seq ?? 0)) : undefined,
    };
  }

  describeMachineFor(req: DescribeStateMachineForExecutionInput): DescribeStateMachineForExecutionOutput {
    const e = this.require(req.executionArn);
    const definition = this.ctx.store.getDefinition(e.doc.definitionHash) ?? '';
    const m = this.ctx.store.getMachine(e.machineArn);
    return {
      stateMachineArn: e.doc.versionArn ?? e.machineArn, name: e.machineArn.split(':')[6] ?? '', definition, roleArn: e.doc.roleArn,
      updateDate: new Date(m?.updatedAt ?? e.startMs), loggingConfiguration: { level: 'OFF', includeExecutionData: false }, tracingConfiguration: { enabled: false },
      revisionId: m?.revisionId,
    };
  }
}

function syncResult(live: Live, stateMachineArn: string, stopMs: number): StartSyncExecutionOutput {
  const st = live.state;
  const startMs = st.info.startTime;
  return {
    executionArn: live.arn, stateMachineArn, name: st.info.name, startDate: new Date(startMs), stopDate: new Date(stopMs),
    status: st.status === 'SUCCEEDED' ? 'SUCCEEDED' : st.status === 'TIMED_OUT' ? 'TIMED_OUT' : 'FAILED',
    input: live.doc.input, inputDetails: { included: true }, output: st.output, outputDetails: st.output === undefined ? undefined : { included: true },
    error: st.error, cause: st.cause,
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil((stopMs - startMs) / 100) * 100) },
  };
}
