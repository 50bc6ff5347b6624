import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsError } from '../core/index.js';
import { ROLE, StatesHarness } from './harness.test-support.js';

let h: StatesHarness;
beforeEach(async () => {
  h = await new StatesHarness().open();
});
afterEach(async () => {
  await h.close();
  h.cleanup();
});

const pass = { StartAt: 'P', States: { P: { Type: 'Pass', Result: { done: true }, End: true } } };

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return err instanceof AwsError ? `${err.code}: ${err.message}` : String(err);
  }
  return 'no error';
}

describe('state machines', () => {
  it('creates, describes, lists, updates with a new revision, and deletes', async () => {
    const arn = await h.machine('hello', pass);
    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:hello');
    const d = await h.call<{ definition: string; type: string; status: string; revisionId: string }>('DescribeStateMachine', { stateMachineArn: arn });
    expect(d).toMatchObject({ type: 'STANDARD', status: 'ACTIVE', definition: JSON.stringify(pass) });
    const list = await h.call<{ stateMachines: { name: string }[] }>('ListStateMachines');
    expect(list.stateMachines.map((m) => m.name)).toEqual(['hello']);
    const u = await h.call<{ revisionId: string }>('UpdateStateMachine', { stateMachineArn: arn, definition: JSON.stringify({ ...pass, Comment: 'v2' }) });
    expect(u.revisionId).not.toBe(d.revisionId);
    await h.call('DeleteStateMachine', { stateMachineArn: arn });
    expect(await code(h.call('DescribeStateMachine', { stateMachineArn: arn }))).toMatch(/^StateMachineDoesNotExist/);
  });

  it('refuses a bad definition with InvalidDefinition and AWS-style diagnostics', async () => {
    const bad = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nope' } } };
    expect(await code(h.machine('bad', bad))).toContain(
      "InvalidDefinition: Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /States/A/Next'",
    );
    const v = await h.call<{ result: string; diagnostics: { code: string; location: string }[] }>('ValidateStateMachineDefinition', { definition: JSON.stringify(bad) });
    expect(v.result).toBe('FAIL');
    expect(v.diagnostics[0]).toMatchObject({ code: 'MISSING_TRANSITION_TARGET', location: '/States/A/Next' });
    expect((await h.call<{ result: string }>('ValidateStateMachineDefinition', { definition: JSON.stringify(pass) })).result).toBe('OK');
  });

  it('applies the name rules and requires a role', async () => {
    expect(await code(h.machine('has space', pass))).toBe("InvalidName: Invalid Name: 'has space'");
    expect(await code(h.machine('x'.repeat(81), pass))).toMatch(/^InvalidName/);
    expect(await code(h.call('CreateStateMachine', { name: 'n', definition: JSON.stringify(pass), roleArn: 'nope' }))).toMatch(/^InvalidArn/);
    expect(await code(h.call('CreateStateMachine', { name: 'n', definition: JSON.stringify(pass) }))).toMatch(/^ValidationException: Missing required parameter 'roleArn'/);
  });

  it('is idempotent for an identical create, and refuses a different one', async () => {
    const a = await h.machine('same', pass);
    expect(await h.machine('same', pass)).toBe(a);
    expect(await code(h.machine('same', { ...pass, Comment: 'other' }))).toMatch(/^StateMachineAlreadyExists/);
  });

  it('publishes versions and runs an execution on a version', async () => {
    const out = await h.call<{ stateMachineArn: string; stateMachineVersionArn: string }>('CreateStateMachine', {
      name: 'versioned', definition: JSON.stringify(pass), roleArn: ROLE, publish: true, versionDescription: 'first',
    });
    expect(out.stateMachineVersionArn).toBe(`${out.stateMachineArn}:1`);
    await h.call('UpdateStateMachine', { stateMachineArn: out.stateMachineArn, definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 2, End: true } } }), publish: true });
    const versions = await h.call<{ stateMachineVersions: { stateMachineVersionArn: string }[] }>('ListStateMachineVersions', { stateMachineArn: out.stateMachineArn });
    expect(versions.stateMachineVersions.map((v) => v.stateMachineVersionArn.split(':').pop())).toEqual(['2', '1']);
    const e = await h.start(out.stateMachineVersionArn);
    expect((await h.finished(e)).output).toBe('{"done":true}');
    expect((await h.call<{ description?: string }>('DescribeStateMachine', { stateMachineArn: out.stateMachineVersionArn })).description).toBe('first');
  });

  it('tags state machines and activities', async () => {
    const arn = await h.machine('tagged', pass, { tags: [{ key: 'team', value: 'a' }] });
    await h.call('TagResource', { resourceArn: arn, tags: [{ key: 'env', value: 'dev' }] });
    await h.call('UntagResource', { resourceArn: arn, tagKeys: ['team'] });
    expect(await h.call('ListTagsForResource', { resourceArn: arn })).toEqual({ tags: [{ key: 'env', value: 'dev' }] });
    expect(await code(h.call('ListTagsForResource', { resourceArn: `${arn}x` }))).toMatch(/^ResourceNotFound/);
  });
});

describe('executions', () => {
  it('runs to the end; describe, list with a filter and history in AWS shapes', async () => {
    const arn = await h.machine('m', pass);
    const e = await h.start(arn, { in: 1 }, 'first');
    expect(e).toBe('arn:aws:states:us-east-1:000000000000:execution:m:first');
    expect(await h.finished(e)).toMatchObject({ status: 'SUCCEEDED', output: '{"done":true}', input: '{"in":1}' });
    const list = await h.call<{ executions: { name: string }[] }>('ListExecutions', { stateMachineArn: arn, statusFilter: 'SUCCEEDED' });
    expect(list.executions.map((x) => x.name)).toEqual(['first']);
    const hist = await h.call<{ events: Record<string, unknown>[] }>('GetExecutionHistory', { executionArn: e });
    expect(hist.events[0]).toMatchObject({ type: 'ExecutionStarted', id: 1, previousEventId: 0, executionStartedEventDetails: { input: '{"in":1}', roleArn: ROLE } });
    expect(hist.events[1]).toMatchObject({ type: 'PassStateEntered', id: 2, previousEventId: 1, stateEnteredEventDetails: { name: 'P', input: '{"in":1}' } });
    expect(hist.events[3]).toMatchObject({ type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{"done":true}' } });
    expect(hist.events[0]?.['timestamp']).toBeInstanceOf(Date);
    const noData = await h.call<{ events: Record<string, { input?: string }>[] }>('GetExecutionHistory', { executionArn: e, includeExecutionData: false });
    expect(noData.events[1]?.['stateEnteredEventDetails']).toEqual({ name: 'P' });
  });

  it('pages history forwards and backwards', async () => {
    const chain = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } } };
    const e = await h.start(await h.machine('chain', chain));
    await h.finished(e);
    const ids = async (reverseOrder: boolean): Promise<number[]> => {
      const out: number[] = [];
      let nextToken: string | undefined;
      do {
        const page = await h.call<{ events: { id: number }[]; nextToken?: string }>('GetExecutionHistory', { executionArn: e, maxResults: 3, reverseOrder, nextToken });
        out.push(...page.events.map((x) => x.id));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    };
    expect(await ids(false)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await ids(true)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('is idempotent on the name while running with the same input', async () => {
    const arn = await h.machine('w', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, End: true } } });
    const a = await h.start(arn, { x: 1 }, 'once');
    expect(await h.start(arn, { x: 1 }, 'once')).toBe(a);
    expect(await code(h.start(arn, { x: 2 }, 'once'))).toMatch(/^ExecutionAlreadyExists/);
    await h.call('StopExecution', { executionArn: a, error: 'Stopped', cause: 'test' });
    expect(await h.describe(a)).toMatchObject({ status: 'ABORTED', error: 'Stopped', cause: 'test' });
    expect(await code(h.start(arn, { x: 1 }, 'once'))).toMatch(/^ExecutionAlreadyExists/);
    expect((await h.historyTypes(a)).slice(-1)).toEqual(['ExecutionAborted']);
  });

  it('refuses bad input and unknown ARNs with AWS error codes', async () => {
    const arn = await h.machine('m2', pass);
    expect(await code(h.call('StartExecution', { stateMachineArn: arn, input: '{nope' }))).toMatch(/^InvalidExecutionInput/);
    expect(await code(h.call('DescribeExecution', { executionArn: `${arn.replace('stateMachine', 'execution')}:none` }))).toMatch(/^ExecutionDoesNotExist/);
    expect(await code(h.call('DescribeExecution', { executionArn: arn }))).toMatch(/^InvalidArn/);
    expect(await code(h.call('StartExecution', { stateMachineArn: `${arn}zz` }))).toMatch(/^StateMachineDoesNotExist/);
  });

  it('runs EXPRESS machines synchronously with StartSyncExecution', async () => {
    const arn = await h.machine('fast', { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': '$.v' }, End: true } } }, { type: 'EXPRESS' });
    const out = await h.call<{ status: string; output: string; executionArn: string }>('StartSyncExecution', { stateMachineArn: arn, input: '{"v":3}' });
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"v":3}' });
    expect(out.executionArn).toMatch(/:express:fast:/);
    expect(await code(h.machine('fast2', { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', End: true } } }, { type: 'EXPRESS' }))).toMatch(
      /^InvalidDefinition: .*Express state machine does not support '.sync'/,
    );
    expect(await code(h.call('StartSyncExecution', { stateMachineArn: await h.machine('std', pass) }))).toMatch(/^StateMachineTypeNotSupported/);
  });

  it('times an EXPRESS execution out at the duration limit (five minutes on AWS)', async () => {
    const limited = await new StatesHarness({ expressMaxSeconds: 1 }).open();
    try {
      const arn = await limited.machine('slow', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, End: true } } }, { type: 'EXPRESS' });
      const out = await limited.call<{ status: string; error?: string }>('StartSyncExecution', { stateMachineArn: arn });
      expect(out).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      // a STANDARD machine is not limited
      const std = await limited.start(await limited.machine('slow-std', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 2, End: true } } }));
      expect((await limited.finished(std)).status).toBe('SUCCEEDED');
    } finally {
      await limited.close();
      limited.cleanup();
    }
  });

  it('fails a Task whose resource no integration serves, with a clear cause', async () => {
    const e = await h.start(await h.machine('lambda', { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f', End: true } } }));
    const d = await h.finished(e);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(d.cause).toMatch(/no integration serves 'lambda'/);
  });
});
