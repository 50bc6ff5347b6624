import { runtimeFailure, StatesErrors, StatesFailure } from '../asl/errors.js';
import { isObject, stringify, type Json, type JsonObject } from '../asl/json.js';
import { evalExprTemplate, requireExprValue } from '../asl/jsonata.js';
import { placeAt, selectPath, type CompiledPath } from '../asl/jsonpath.js';
import { evalPathTemplate } from '../asl/template.js';
import type { Amount, StateNode, Template } from '../asl/types.js';
import type { ContextExtra, StepContext, StatesVars } from './context.js';
import type { Frame } from './state.js';

function select(ctx: StepContext, f: Frame, path: CompiledPath | null | undefined, input: Json, field: string): Json {
  if (path === undefined) return input;
  if (path === null) return {};
  const v = selectPath(path, ctx.pathScope(f, input));
  if (v === undefined) {
    throw runtimeFailure(`The JSONPath '${path.source}' specified for the field '${field}' could not be found in the input '${stringify(input)}'`);
  }
  return v;
}

/** The state's effective input: InputPath applied (JSONPath); the raw input (JSONata). */
export function effectiveInput(ctx: StepContext, f: Frame, node: StateNode): Json {
  return node.ql === 'JSONPath' ? select(ctx, f, node.inputPath, f.input, 'InputPath') : f.input;
}

/**
 * Evaluates a template in the state's language. JSONPath: `$` is `input`. JSONata:
 * `$states` is built from `vars` (defaulting `$states.input` to `input`).
 */
export async function evalTemplate(
  ctx: StepContext,
  f: Frame,
  node: StateNode,
  t: Template,
  input: Json,
  extra?: ContextExtra,
  vars?: StatesVars,
): Promise<Json> {
  if (node.ql === 'JSONPath') return evalPathTemplate(t, ctx.pathScope(f, input, extra));
  return requireExprValue(t, ctx.exprScope(f, vars ?? { input }, extra), 'field');
}

/** A whole number from a value, a path into `input`, or an expression. */
export async function evalAmount(ctx: StepContext, f: Frame, node: StateNode, a: Amount, input: Json, field: string): Promise<number> {
  let v: Json | undefined;
  if (a.kind === 'value') return a.value;
  if (a.kind === 'path') v = selectPath(a.path, ctx.pathScope(f, input));
  else v = await evalExprTemplate({ t: 'expr', expr: a.expr }, ctx.exprScope(f, { input: f.input }));
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    const source = a.kind === 'path' ? a.path.source : a.expr.source;
    const error = node.ql === 'JSONata' ? StatesErrors.QueryEvaluationError : StatesErrors.Runtime;
    throw new StatesFailure(error, `The value of '${source}' for the field '${field}' must be a non-negative number, got ${stringify(v ?? null)}`);
  }
  return v;
}

/** What a state hands to `stateOutput`. */
export interface OutputParts {
  effective: Json;
  /** The state's result, for Pass/Task/Map/Parallel; undefined for the others. */
  result?: Json | undefined;
  /** Whether ResultSelector applies (Task/Map/Parallel). */
  selectable?: boolean | undefined;
  resultPath?: readonly (string | number)[] | null | undefined;
  resultPathSource?: string | undefined;
  output?: Template | undefined;
  assign?: Template | undefined;
  /** JSONata `$states.errorOutput` (a Catch). */
  errorOutput?: Json | undefined;
}

async function assignVariables(ctx: StepContext, f: Frame, node: StateNode, t: Template | undefined, input: Json, vars: StatesVars): Promise<JsonObject | undefined> {
  if (!t) return undefined;
  const v = await evalTemplate(ctx, f, node, t, input, undefined, vars);
  return isObject(v) ? v : undefined;
}

/**
 * The state's output: ResultSelector, ResultPath (onto the raw input) and OutputPath
 * (JSONPath), or Output (JSONata); Assign is evaluated beside it, against the values
 * variables had before the state, and applied last.
 */
export async function stateOutput(ctx: StepContext, f: Frame, node: StateNode, p: OutputParts): Promise<Json> {
  const hasResult = p.result !== undefined;
  if (node.ql === 'JSONata') {
    const vars: StatesVars = { input: f.input, result: p.result, errorOutput: p.errorOutput };
    const assigned = await assignVariables(ctx, f, node, p.assign, f.input, vars);
    const fallback = p.errorOutput ?? (hasResult ? (p.result as Json) : f.input);
    const out = p.output ? await requireExprValue(p.output, ctx.exprScope(f, vars), 'Output') : fallback;
    if (assigned) Object.assign(f.vars, assigned);
    return out;
  }
  let selected = p.result;
  if (hasResult && p.selectable && 'resultSelector' in node && node.resultSelector) {
    selected = evalPathTemplate(node.resultSelector, ctx.pathScope(f, p.result as Json));
  }
  const assigned = await assignVariables(ctx, f, node, p.assign, selected ?? p.effective, { input: f.input });
  let merged = p.effective;
  if (selected !== undefined) {
    if (p.resultPath === undefined) merged = selected;
    else if (p.resultPath === null) merged = f.input;
    else merged = placeAt(f.input, p.resultPath, selected, p.resultPathSource ?? '$');
  }
  const out = select(ctx, f, node.outputPath, merged, 'OutputPath');
  if (assigned) Object.assign(f.vars, assigned);
  return out;
}
