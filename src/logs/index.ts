export { createLogsProvider, type LogsProvider } from './provider.js';
export type { LogSink, SinkEvent } from './sink.js';
export type { LogsDeps } from './context.js';
export { LogsErrors, logsError, type LogsErrorCode } from './errors.js';
