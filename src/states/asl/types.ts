import type { IntrinsicCall } from './intrinsics-parse.js';
import type { Json } from './json.js';
import type { CompiledPath } from './jsonpath.js';

/**
 * The typed tree a definition compiles to. Everything that can be checked or compiled
 * ahead (paths, intrinsic calls, JSONata expressions, rule operators) is, so running a
 * state only evaluates.
 */
export type QueryLanguage = 'JSONPath' | 'JSONata';

/** A `{% expression %}` of the JSONata query language, compiled by `jsonata.ts`. */
export interface Expr {
  readonly source: string;
}

/** A payload template: Parameters/ResultSelector/ItemSelector/Assign, or a JSONata template. */
export type Template =
  | { readonly t: 'lit'; readonly v: Json }
  | { readonly t: 'obj'; readonly entries: readonly { readonly key: string; readonly node: Template }[] }
  | { readonly t: 'arr'; readonly items: readonly Template[] }
  | { readonly t: 'path'; readonly path: CompiledPath; readonly field: string }
  | { readonly t: 'fn'; readonly call: IntrinsicCall; readonly field: string }
  | { readonly t: 'expr'; readonly expr: Expr };

/** A number given literally, by a JSONPath into the input, or by a JSONata expression. */
export type Amount = { readonly kind: 'value'; readonly value: number } | { readonly kind: 'path'; readonly path: CompiledPath } | { readonly kind: 'expr'; readonly expr: Expr };

export interface Retrier {
  readonly errorEquals: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds?: number | undefined;
  readonly jitter: 'FULL' | 'NONE';
}

export interface Catcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  readonly resultPath?: readonly (string | number)[] | null | undefined;
  readonly resultPathSource?: string | undefined;
  readonly output?: Template | undefined;
  readonly assign?: Template | undefined;
}

interface Base {
  readonly name: string;
  readonly ql: QueryLanguage;
  /** The JSON Pointer-like location, e.g. `/States/A`, used in messages. */
  readonly location: string;
  readonly next?: string | undefined;
  readonly end: boolean;
  readonly inputPath?: CompiledPath | null | undefined;
  readonly outputPath?: CompiledPath | null | undefined;
  readonly assign?: Template | undefined;
  /** JSONata: the state's Output. */
  readonly output?: Template | undefined;
}

/** ResultSelector, ResultPath, Retry and Catch: the states that produce a result. */
interface Resultful {
  readonly resultSelector?: Template | undefined;
  readonly resultPath?: readonly (string | number)[] | null | undefined;
  readonly resultPathSource?: string | undefined;
  readonly retry: readonly Retrier[];
  readonly catch: readonly Catcher[];
}

export interface PassState extends Base {
  readonly type: 'Pass';
  readonly parameters?: Template | undefined;
  readonly result?: Json | undefined;
  readonly resultPath?: readonly (string | number)[] | null | undefined;
  readonly resultPathSource?: string | undefined;
}

export interface TaskState extends Base, Resultful {
  readonly type: 'Task';
  readonly resource: string;
  /** Parameters (JSONPath) or Arguments (JSONata). */
  readonly parameters?: Template | undefined;
  readonly timeout?: Amount | undefined;
  readonly heartbeat?: Amount | undefined;
}

export type Comparison =
  | { readonly kind: 'and' | 'or'; readonly rules: readonly Comparison[] }
  | { readonly kind: 'not'; readonly rule: Comparison }
  | { readonly kind: 'test'; readonly variable: CompiledPath; readonly op: string; readonly value: Json; readonly valuePath?: CompiledPath | undefined; readonly pattern?: RegExp | undefined }
  | { readonly kind: 'condition'; readonly expr: Template };

export interface ChoiceRule {
  readonly rule: Comparison;
  readonly next: string;
  readonly output?: Template | undefined;
  readonly assign?: Template | undefined;
}

export interface ChoiceState extends Base {
  readonly type: 'Choice';
  readonly choices: readonly ChoiceRule[];
  readonly default?: string | undefined;
}

export type WaitFor =
  | { readonly kind: 'seconds'; readonly amount: Amount }
  | { readonly kind: 'timestamp'; readonly value: string }
  | { readonly kind: 'timestampPath'; readonly path: CompiledPath }
  | { readonly kind: 'timestampExpr'; readonly expr: Template };

export interface WaitState extends Base {
  readonly type: 'Wait';
  readonly wait: WaitFor;
}

export interface SucceedState extends Base {
  readonly type: 'Succeed';
}

export interface FailState extends Base {
  readonly type: 'Fail';
  readonly error?: Template | undefined;
  readonly cause?: Template | undefined;
}

export interface ParallelState extends Base, Resultful {
  readonly type: 'Parallel';
  readonly branches: readonly Graph[];
  readonly parameters?: Template | undefined;
}

export interface MapState extends Base, Resultful {
  readonly type: 'Map';
  readonly processor: Graph;
  readonly itemsPath?: CompiledPath | undefined;
  /** JSONata: Items (an array or an expression). */
  readonly items?: Template | undefined;
  readonly itemSelector?: Template | undefined;
  readonly maxConcurrency?: Amount | undefined;
  readonly toleratedFailureCount?: Amount | undefined;
  readonly toleratedFailurePercentage?: Amount | undefined;
}

export type StateNode = PassState | TaskState | ChoiceState | WaitState | SucceedState | FailState | ParallelState | MapState;
export type StateType = StateNode['type'];

/** A `States` block with its `StartAt`: the machine itself, a branch, or a Map's processor. */
export interface Graph {
  readonly id: string;
  readonly startAt: string;
  readonly states: ReadonlyMap<string, StateNode>;
}

export interface Machine {
  readonly root: Graph;
  readonly graphs: ReadonlyMap<string, Graph>;
  readonly timeoutSeconds?: number | undefined;
  readonly queryLanguage: QueryLanguage;
  /** Every Task resource, for checks such as "EXPRESS has no activities". */
  readonly resources: readonly { readonly resource: string; readonly location: string }[];
}
