import type {
  CreateActivityInput, CreateActivityOutput, DeleteActivityInput, DescribeActivityInput, DescribeActivityOutput, GetActivityTaskInput,
  GetActivityTaskOutput, ListActivitiesInput, ListActivitiesOutput, SendTaskFailureInput, SendTaskHeartbeatInput, SendTaskSuccessInput,
} from '@aws-sdk/client-sfn';
import { decodeToken, encodeToken } from '../../core/index.js';
import type { Json } from '../asl/json.js';
import { StatesApiErrors, statesError, validation } from '../errors.js';
import { activityArn, checkName, parseStatesArn } from '../names.js';
import type { TaskRow } from '../store.js';
import { pageSize, type Empty, type StatesContext } from './context.js';
import { checkTags } from './tags.js';

/** Activities, the long poll of their workers, and task tokens (SendTaskSuccess/Failure/Heartbeat). */
export class Activities {
  constructor(private readonly ctx: StatesContext) {}

  private require(given: string | undefined): { arn: string; name: string; createdAt: number } {
    parseStatesArn(given, ['activity']);
    const arn = withAccount(given ?? '', this.ctx.scope.account);
    const a = this.ctx.store.getActivity(arn);
    if (!a) throw statesError('ActivityDoesNotExist', `Activity Does Not Exist: '${given ?? ''}'`);
    return a;
  }

  create(req: CreateActivityInput): CreateActivityOutput {
    const name = checkName(req.name);
    const tags = checkTags(req.tags);
    const arn = activityArn(this.ctx.scope, name);
    const now = this.ctx.clock.now().getTime();
    const existing = this.ctx.store.getActivity(arn);
    if (existing) return { activityArn: arn, creationDate: new Date(existing.createdAt) };
    this.ctx.store.transaction(() => {
      this.ctx.store.insertActivity(arn, name, now);
      this.ctx.tags.removeAll(arn);
      this.ctx.tags.put(arn, tags);
    });
    return { activityArn: arn, creationDate: new Date(now) };
  }

  describe(req: DescribeActivityInput): DescribeActivityOutput {
    const a = this.require(req.activityArn);
    return { activityArn: a.arn, name: a.name, creationDate: new Date(a.createdAt) };
  }

  delete(req: DeleteActivityInput): Empty {
    parseStatesArn(req.activityArn, ['activity']);
    this.ctx.store.transaction(() => {
      this.ctx.store.deleteActivity(req.activityArn ?? '');
      this.ctx.tags.removeAll(req.activityArn ?? '');
    });
    return {};
  }

  list(req: ListActivitiesInput): ListActivitiesOutput {
    const limit = pageSize(req.maxResults);
    const after = req.nextToken ? decodeToken(req.nextToken, StatesApiErrors.InvalidToken) : undefined;
    const rows = this.ctx.store.listActivities(after, limit + 1);
    const page = rows.slice(0, limit);
    return {
      activities: page.map((a) => ({ activityArn: a.arn, name: a.name, creationDate: new Date(a.createdAt) })),
      nextToken: rows.length > limit ? encodeToken(page[page.length - 1]?.name ?? '') : undefined,
    };
  }

  /**
   * Long poll: hands the oldest queued task of the activity to this worker (recording
   * ActivityStarted before answering), or waits up to 60 s for one; `{}` when none came
   * or the server is stopping.
   */
  async getTask(req: GetActivityTaskInput): Promise<GetActivityTaskOutput> {
    const arn = this.require(req.activityArn).arn;
    if (req.workerName !== undefined && req.workerName.length > 80) throw validation('workerName', req.workerName, 'have length less than or equal to 80');
    const { runtime } = this.ctx;
    const deadline = this.ctx.clock.now().getTime() + this.ctx.activityPollMs;
    for (;;) {
      if (runtime.isStopping) return {};
      const task = this.ctx.store.claimActivityTask(arn, req.workerName);
      if (task) {
        const accepted = await runtime.deliver(task.executionArn, { type: 'taskStarted', key: task.key, worker: req.workerName });
        if (accepted) return { taskToken: task.token, input: task.doc.input };
        continue;
      }
      const left = deadline - this.ctx.clock.now().getTime();
      if (left <= 0) return {};
      await runtime.pollers.wait(arn, left);
    }
  }

  /** The open task a token names: InvalidToken if it is not a token, TaskDoesNotExist, or TaskTimedOut once closed. */
  private openTask(token: string | undefined): TaskRow {
    const t = token ?? '';
    if (t.length < 1 || t.length > 2048) throw validation('taskToken', t, 'have length between 1 and 2048');
    const row = this.ctx.store.taskByToken(t);
    if (!row) {
      if (!isTokenShaped(t)) throw statesError('InvalidToken', 'Invalid token');
      throw statesError('TaskDoesNotExist', 'Task Does Not Exist');
    }
    const live = this.ctx.runtime.liveExecution(row.executionArn);
    if ((row.status !== 'SCHEDULED' && row.status !== 'STARTED') || !live) throw statesError('TaskTimedOut', 'Task Timed Out');
    return row;
  }

  async sendSuccess(req: SendTaskSuccessInput): Promise<Empty> {
    const row = this.openTask(req.taskToken);
    let output: Json;
    try {
      output = JSON.parse(req.output ?? '') as Json;
    } catch (err) {
      throw statesError('InvalidOutput', `Invalid Output: '${(err as Error).message}'`);
    }
    if (Buffer.byteLength(req.output ?? '') > 262144) throw statesError('InvalidOutput', 'Invalid Output: the output is larger than 262144 bytes');
    await this.settle(row, { type: 'taskSucceeded', key: row.key, output });
    return {};
  }

  async sendFailure(req: SendTaskFailureInput): Promise<Empty> {
    if (req.error !== undefined && req.error.length > 256) throw validation('error', req.error, 'have length less than or equal to 256');
    const row = this.openTask(req.taskToken);
    await this.settle(row, { type: 'taskFailed', key: row.key, error: req.error, cause: req.cause });
    return {};
  }

  async sendHeartbeat(req: SendTaskHeartbeatInput): Promise<Empty> {
    const row = this.openTask(req.taskToken);
    await this.ctx.runtime.deliver(row.executionArn, { type: 'heartbeat', key: row.key });
    return {};
  }

  private async settle(row: TaskRow, d: { type: 'taskSucceeded'; key: string; output: Json } | { type: 'taskFailed'; key: string; error?: string | undefined; cause?: string | undefined }): Promise<void> {
    const accepted = await this.ctx.runtime.deliver(row.executionArn, d);
    if (!accepted) throw statesError('TaskTimedOut', 'Task Timed Out');
  }
}

/**
 * An activity ARN written without its account (`arn:aws:states:ap-southeast-2::activity:x`,
 * as the seed article's worker does) names the activity of this account.
 */
function withAccount(arn: string, account: string): string {
  const parts = arn.split(':');
  if (parts[4] === '') parts[4] = account;
  return parts.join(':');
}

/** Tokens skiff issues are base64url JSON with the execution and task key. */
function isTokenShaped(token: string): boolean {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { e?: unknown; k?: unknown };
    return typeof v.e === 'string' && typeof v.k === 'string';
  } catch {
    return false;
  }
}
