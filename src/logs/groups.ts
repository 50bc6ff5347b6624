import type {
  CreateLogGroupRequest,
  DeleteLogGroupRequest,
  DeleteRetentionPolicyRequest,
  DescribeLogGroupsRequest,
  DescribeLogGroupsResponse,
  LogGroup,
  PutRetentionPolicyRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import { decodeToken, encodeToken, isArn } from '../core/index.js';
import { nowMs, type LogsContext } from './context.js';
import { LogsErrors, constraintViolation, groupNotFound, invalidParameter, logsError } from './errors.js';
import { LOG_GROUP_CLASSES, checkGroupName, checkLimit, checkRetention, groupArn, groupNameFromArn } from './names.js';
import type { GroupRow } from './store.js';
import { validateTags } from './tags.js';

type Empty = Record<string, never>;

/** CreateLogGroup, DescribeLogGroups, DeleteLogGroup and the retention policy. */
export class LogGroups {
  constructor(private readonly ctx: LogsContext) {}

  /** The group of that name, else ResourceNotFoundException. */
  require(name: string): GroupRow {
    const g = this.ctx.logs.getGroup(name);
    if (!g) throw groupNotFound();
    return g;
  }

  create(req: CreateLogGroupRequest): Empty {
    const name = checkGroupName(req.logGroupName ?? '');
    const logGroupClass = req.logGroupClass ?? 'STANDARD';
    if (!(LOG_GROUP_CLASSES as readonly string[]).includes(logGroupClass)) {
      throw constraintViolation('logGroupClass', logGroupClass, `satisfy enum value set: [${LOG_GROUP_CLASSES.join(', ')}]`);
    }
    if (req.deletionProtectionEnabled) throw invalidParameter('deletionProtectionEnabled is not supported by skiff.');
    const tags = validateTags(req.tags ?? {});
    const { logs } = this.ctx;
    logs.transaction(() => {
      const row = { name, creationTime: nowMs(this.ctx), retentionDays: null, logGroupClass, kmsKeyId: req.kmsKeyId ?? null };
      if (!logs.createGroup(row)) throw logsError('ResourceAlreadyExistsException', 'The specified log group already exists');
      const arn = groupArn(this.ctx.scope, name);
      // Tags of an earlier group of the same name would otherwise come back to life.
      this.ctx.tags.removeAll(arn);
      this.ctx.tags.put(arn, Object.entries(tags).map(([key, value]) => ({ key, value })));
    });
    return {};
  }

  describe(req: DescribeLogGroupsRequest): DescribeLogGroupsResponse {
    const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern, logGroupIdentifiers: ids } = req;
    if (prefix !== undefined && pattern !== undefined) {
      throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    }
    if (ids !== undefined && (prefix !== undefined || pattern !== undefined)) {
      throw invalidParameter('logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.');
    }
    const limit = checkLimit(req.limit, 50);
    const after = req.nextToken ? decodeToken(req.nextToken, LogsErrors.InvalidParameterException) : undefined;
    const rows = this.ctx.logs.listGroups({
      prefix,
      contains: pattern,
      names: ids?.map((id) => (isArn(id) ? groupNameFromArn(this.ctx.scope, id, 'logGroupIdentifiers') : id)),
      classes: classesMatching(req.logGroupClass),
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      logGroups: page.map((g) => (pattern !== undefined ? this.briefView(g) : this.view(g))),
      nextToken: rows.length > limit && last ? encodeToken(last.name) : undefined,
    };
  }

  delete(req: DeleteLogGroupRequest): Empty {
    const g = this.require(req.logGroupName ?? '');
    this.ctx.logs.transaction(() => {
      this.ctx.logs.deleteGroup(g.id);
      this.ctx.tags.removeAll(groupArn(this.ctx.scope, g.name));
    });
    return {};
  }

  putRetention(req: PutRetentionPolicyRequest): Empty {
    const days = checkRetention(req.retentionInDays ?? 0);
    this.ctx.logs.setRetention(this.require(req.logGroupName ?? '').id, days);
    return {};
  }

  deleteRetention(req: DeleteRetentionPolicyRequest): Empty {
    this.ctx.logs.setRetention(this.require(req.logGroupName ?? '').id, null);
    return {};
  }

  /** With logGroupNamePattern AWS answers only these three fields. */
  private briefView(g: GroupRow): LogGroup {
    return { logGroupName: g.name, creationTime: g.creationTime, arn: `${groupArn(this.ctx.scope, g.name)}:*` };
  }

  private view(g: GroupRow): LogGroup {
    const arn = groupArn(this.ctx.scope, g.name);
    return {
      logGroupName: g.name,
      creationTime: g.creationTime,
      retentionInDays: g.retentionDays ?? undefined,
      metricFilterCount: 0,
      arn: `${arn}:*`,
      storedBytes: g.storedBytes,
      kmsKeyId: g.kmsKeyId ?? undefined,
      logGroupClass: g.logGroupClass as LogGroup['logGroupClass'],
      logGroupArn: arn,
    };
  }
}

/** INFREQUENT_ACCESS and ESSENTIALS select each other too, as AWS documents. */
function classesMatching(cls: string | undefined): string[] | undefined {
  if (cls === undefined) return undefined;
  if (!(LOG_GROUP_CLASSES as readonly string[]).includes(cls)) {
    throw constraintViolation('logGroupClass', cls, `satisfy enum value set: [${LOG_GROUP_CLASSES.join(', ')}]`);
  }
  return cls === 'INFREQUENT_ACCESS' || cls === 'ESSENTIALS' ? ['INFREQUENT_ACCESS', 'ESSENTIALS'] : [cls];
}
