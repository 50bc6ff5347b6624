/**
 * The error names of the States language. A state fails with an (error, cause) pair;
 * Retry and Catch match on the error name.
 */
export const StatesErrors = {
  ALL: 'States.ALL',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  Timeout: 'States.Timeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
  Runtime: 'States.Runtime',
  DataLimitExceeded: 'States.DataLimitExceeded',
} as const;

/** Errors no Retry or Catch handles: the execution fails at once (as AWS documents). */
const TERMINAL: ReadonlySet<string> = new Set([StatesErrors.Runtime, StatesErrors.DataLimitExceeded]);

/** A state failure: thrown inside evaluation, turned into history events by the engine. */
export class StatesFailure extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = 'StatesFailure';
  }
}

export function runtimeFailure(cause: string): StatesFailure {
  return new StatesFailure(StatesErrors.Runtime, cause);
}

export function isTerminal(error: string): boolean {
  return TERMINAL.has(error);
}

/**
 * Whether a retrier's or catcher's ErrorEquals covers `error`. States.ALL matches every
 * error but the terminal ones; States.TaskFailed every one but those and States.Timeout.
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (isTerminal(error)) return false;
  for (const name of errorEquals) {
    if (name === error || name === StatesErrors.ALL) return true;
    if (name === StatesErrors.TaskFailed && error !== StatesErrors.Timeout) return true;
  }
  return false;
}
