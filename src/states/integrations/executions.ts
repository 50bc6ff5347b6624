import { isObject, type Json } from '../asl/json.js';
import { TASK_FAILED, type ChildExecution, type ExecutionHost, type TaskCall, type TaskIntegration, type TaskReporter } from '../runtime/contract.js';
import { serviceError } from './case.js';

/** The DescribeExecution-shaped output of `.sync` (strings) and `.sync:2` (JSON). */
function describeOutput(c: ChildExecution, parsed: boolean): Json {
  const data = (text: string | undefined): Json => (text === undefined ? null : parsed ? (JSON.parse(text) as Json) : text);
  const out: Record<string, Json> = {
    ExecutionArn: c.executionArn, StateMachineArn: c.stateMachineArn, Name: c.name, Status: c.status, StartDate: c.startDate.getTime(),
    Input: data(c.input), InputDetails: { Included: true },
  };
  if (c.stopDate) out['StopDate'] = c.stopDate.getTime();
  if (c.output !== undefined) {
    out['Output'] = data(c.output);
    out['OutputDetails'] = { Included: true };
  }
  if (c.error !== undefined) out['Error'] = c.error;
  if (c.cause !== undefined) out['Cause'] = c.cause;
  return out;
}

/**
 * `arn:aws:states:::states:startExecution` (answers with the new execution's ARN and
 * start date), `.sync` / `.sync:2` (waits for the child to end; a child that did not
 * succeed fails the state with States.TaskFailed) and `.waitForTaskToken`. The child's
 * name defaults to one derived from the parent task, so a restart finds the same child.
 */
export class NestedExecutions implements TaskIntegration {
  constructor(private readonly host: ExecutionHost) {}

  async start(call: TaskCall, report: TaskReporter): Promise<void> {
    if (call.action !== 'startExecution') return report.failed(TASK_FAILED, `skiff supports states:startExecution only, not states:${call.action}`);
    const p = isObject(call.input) ? call.input : {};
    if (typeof p['StateMachineArn'] !== 'string') return report.failed(TASK_FAILED, 'states:startExecution needs a StateMachineArn parameter');
    const name = typeof p['Name'] === 'string' ? p['Name'] : call.idempotencyKey;
    const input = typeof p['Input'] === 'string' ? (JSON.parse(p['Input']) as Json) : (p['Input'] ?? {});
    let child: { executionArn: string; startDate: Date };
    try {
      child = await this.host.startChild(p['StateMachineArn'], name, input, call);
    } catch (err) {
      const e = serviceError('StepFunctions', err);
      return report.failed(e.error, e.cause);
    }
    const started = { ExecutionArn: child.executionArn, StartDate: child.startDate.getTime() };
    if (call.pattern === 'request') {
      await report.started(child.executionArn);
      return report.succeeded(started);
    }
    const waiting = await report.started(child.executionArn, started);
    if (!waiting) return this.host.stop(child.executionArn, 'The parent execution no longer waits for it');
    if (call.pattern !== 'callback') await this.watch(call, report, child.executionArn);
  }

  private async watch(call: TaskCall, report: TaskReporter, arn: string): Promise<void> {
    await this.host.waitFor(arn);
    if (call.signal.aborted) return;
    const c = this.host.describe(arn);
    if (!c) return report.failed(TASK_FAILED, `The execution ${arn} no longer exists`);
    if (c.status === 'RUNNING') return;
    const out = describeOutput(c, call.pattern === 'sync2');
    if (c.status === 'SUCCEEDED') return report.succeeded(out);
    return report.failed(TASK_FAILED, JSON.stringify(out));
  }

  async resume(call: TaskCall, ref: string | undefined, report: TaskReporter): Promise<void> {
    if (ref === undefined) return this.start(call, report);
    if (call.pattern === 'sync' || call.pattern === 'sync2') return this.watch(call, report, ref);
    if (call.pattern === 'request') {
      const c = this.host.describe(ref);
      return report.succeeded({ ExecutionArn: ref, StartDate: c?.startDate.getTime() ?? 0 });
    }
  }

  async cancel(call: TaskCall, ref: string | undefined, reason: string): Promise<void> {
    if (ref !== undefined && call.pattern !== 'request') await this.host.stop(ref, `Stopped by its parent execution: ${reason}`);
  }
}
