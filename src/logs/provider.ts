import { shapedOperations, type Handler, type JsonService } from '../api/index.js';
import type { LogsContext, LogsDeps } from './context.js';
import { LogsErrors } from './errors.js';
import { LogGroups } from './groups.js';
import { PutLogEvents } from './put.js';
import { LogReader } from './read.js';
import { logsShapes, type LogsOperation } from './shapes.js';
import { StoreSink, type LogSink } from './sink.js';
import { LogStore } from './store.js';
import { LogStreams } from './streams.js';
import { LogTags } from './tags.js';

/** Operations check their input against its shape before the handler sees it. */
const op = shapedOperations(LogsErrors.InvalidParameterException);

export interface LogsProvider {
  readonly service: JsonService;
  /** Where the task runner writes container output. */
  readonly sink: LogSink;
  /** Deletes events older than their group's retention; call periodically. Returns how many went. */
  sweep(now: Date): number;
}

/** The CloudWatch Logs API (awsJson 1.1, `Logs_20140328`, signing name `logs`). */
export function createLogsProvider(deps: LogsDeps): LogsProvider {
  const logs = new LogStore(deps.store.db);
  const ctx: LogsContext = {
    logs,
    tags: deps.store.tags,
    clock: deps.clock,
    scope: deps.scope,
    filterScanLimit: deps.filterScanLimit ?? 50_000,
  };
  const groups = new LogGroups(ctx);
  const streams = new LogStreams(ctx, groups);
  const put = new PutLogEvents(ctx, groups, streams);
  const reader = new LogReader(ctx, groups, streams);
  const tags = new LogTags(ctx);
  const s = logsShapes;
  const operations: Record<LogsOperation, Handler> = {
    CreateLogGroup: op(s.CreateLogGroup, groups.create.bind(groups)),
    DescribeLogGroups: op(s.DescribeLogGroups, groups.describe.bind(groups)),
    DeleteLogGroup: op(s.DeleteLogGroup, groups.delete.bind(groups)),
    PutRetentionPolicy: op(s.PutRetentionPolicy, groups.putRetention.bind(groups)),
    DeleteRetentionPolicy: op(s.DeleteRetentionPolicy, groups.deleteRetention.bind(groups)),
    CreateLogStream: op(s.CreateLogStream, streams.create.bind(streams)),
    DescribeLogStreams: op(s.DescribeLogStreams, streams.describe.bind(streams)),
    DeleteLogStream: op(s.DeleteLogStream, streams.delete.bind(streams)),
    PutLogEvents: op(s.PutLogEvents, put.put.bind(put)),
    GetLogEvents: op(s.GetLogEvents, reader.getLogEvents.bind(reader)),
    FilterLogEvents: op(s.FilterLogEvents, reader.filterLogEvents.bind(reader)),
    TagResource: op(s.TagResource, tags.tagResource.bind(tags)),
    UntagResource: op(s.UntagResource, tags.untagResource.bind(tags)),
    ListTagsForResource: op(s.ListTagsForResource, tags.listTagsForResource.bind(tags)),
    TagLogGroup: op(s.TagLogGroup, tags.tagLogGroup.bind(tags)),
    UntagLogGroup: op(s.UntagLogGroup, tags.untagLogGroup.bind(tags)),
    ListTagsLogGroup: op(s.ListTagsLogGroup, tags.listTagsLogGroup.bind(tags)),
  };
  return {
    service: {
      protocol: 'awsJson1_1',
      signingName: 'logs',
      targetPrefix: 'Logs_20140328',
      serverErrorCode: 'ServiceUnavailableException',
      operations,
    },
    sink: new StoreSink(logs, deps.clock),
    sweep: (now) => logs.sweep(now.getTime()),
  };
}
