import { evalComparison, isTimestamp } from '../asl/choice.js';
import { StatesErrors, StatesFailure, runtimeFailure } from '../asl/errors.js';
import { stringify, type Json } from '../asl/json.js';
import { evalExprTemplate } from '../asl/jsonata.js';
import { selectPath } from '../asl/jsonpath.js';
import { evalPathTemplate } from '../asl/template.js';
import type { ChoiceState, FailState, PassState, SucceedState, WaitState } from '../asl/types.js';
import type { StepContext } from './context.js';
import { effectiveInput, evalAmount, evalTemplate, stateOutput } from './io.js';
import type { Frame } from './state.js';

export async function runPass(ctx: StepContext, f: Frame, node: PassState): Promise<void> {
  const effective = effectiveInput(ctx, f, node);
  let result: Json = effective;
  if (node.ql === 'JSONPath') {
    if (node.result !== undefined) result = node.result;
    else if (node.parameters) result = await evalTemplate(ctx, f, node, node.parameters, effective);
  }
  const out = await stateOutput(ctx, f, node, {
    effective,
    result: node.ql === 'JSONPath' ? result : undefined,
    resultPath: node.resultPath,
    resultPathSource: node.resultPathSource,
    output: node.output,
    assign: node.assign,
  });
  await ctx.exit(f, node, out);
}

async function matches(ctx: StepContext, f: Frame, node: ChoiceState, rule: ChoiceState['choices'][number], effective: Json): Promise<boolean> {
  if (rule.rule.kind !== 'condition') return evalComparison(rule.rule, ctx.pathScope(f, effective));
  const v = await evalExprTemplate(rule.rule.expr, ctx.exprScope(f, { input: f.input }));
  if (typeof v !== 'boolean') {
    throw new StatesFailure(StatesErrors.QueryEvaluationError, `The Condition of a choice rule of state '${node.name}' must evaluate to a boolean, got ${stringify(v ?? null)}`);
  }
  return v;
}

export async function runChoice(ctx: StepContext, f: Frame, node: ChoiceState): Promise<void> {
  const effective = effectiveInput(ctx, f, node);
  for (const rule of node.choices) {
    if (!(await matches(ctx, f, node, rule, effective))) continue;
    const out = await stateOutput(ctx, f, node, { effective, output: rule.output ?? node.output, assign: rule.assign ?? node.assign });
    await ctx.exit(f, { ...node, next: rule.next }, out);
    return;
  }
  if (node.default === undefined) throw new StatesFailure(StatesErrors.NoChoiceMatched, 'No Matches!');
  const out = await stateOutput(ctx, f, node, { effective, output: node.output, assign: node.assign });
  await ctx.exit(f, { ...node, next: node.default }, out);
}

async function waitUntil(ctx: StepContext, f: Frame, node: WaitState, effective: Json): Promise<number> {
  const w = node.wait;
  if (w.kind === 'seconds') return ctx.at + Math.round((await evalAmount(ctx, f, node, w.amount, effective, 'Seconds')) * 1000);
  let ts: Json | undefined;
  if (w.kind === 'timestamp') ts = w.value;
  else if (w.kind === 'timestampPath') ts = selectPath(w.path, ctx.pathScope(f, effective));
  else ts = await evalExprTemplate(w.expr, ctx.exprScope(f, { input: f.input }));
  if (!isTimestamp(ts)) {
    const error = node.ql === 'JSONata' ? StatesErrors.QueryEvaluationError : StatesErrors.Runtime;
    throw new StatesFailure(error, `The Timestamp of state '${node.name}' must be an RFC 3339 timestamp, got ${stringify(ts ?? null)}`);
  }
  return Date.parse(ts);
}

export async function runWait(ctx: StepContext, f: Frame, node: WaitState): Promise<void> {
  const effective = effectiveInput(ctx, f, node);
  const due = await waitUntil(ctx, f, node, effective);
  const key = `wait:${f.id}:${f.entered}`;
  f.pending = { kind: 'wait', key };
  ctx.startTimer(f, key, due);
}

/** The Wait's timer fired. */
export async function finishWait(ctx: StepContext, f: Frame, node: WaitState): Promise<void> {
  const effective = effectiveInput(ctx, f, node);
  const out = await stateOutput(ctx, f, node, { effective, output: node.output, assign: node.assign });
  await ctx.exit(f, node, out);
}

export async function runSucceed(ctx: StepContext, f: Frame, node: SucceedState): Promise<void> {
  const effective = effectiveInput(ctx, f, node);
  const out = await stateOutput(ctx, f, node, { effective, output: node.output, assign: node.assign });
  await ctx.exit(f, node, out);
}

async function failText(ctx: StepContext, f: Frame, node: FailState, which: 'error' | 'cause'): Promise<string | undefined> {
  const t = node[which];
  if (!t) return undefined;
  if (t.t === 'lit') return typeof t.v === 'string' ? t.v : undefined;
  const v = node.ql === 'JSONata' ? await evalExprTemplate(t, ctx.exprScope(f, { input: f.input })) : evalFailPath(ctx, f, t);
  if (typeof v !== 'string') {
    throw runtimeFailure(`The ${which === 'error' ? 'ErrorPath' : 'CausePath'} of state '${node.name}' must select a string, got ${stringify(v ?? null)}`);
  }
  return v;
}

function evalFailPath(ctx: StepContext, f: Frame, t: NonNullable<FailState['error']>): Json | undefined {
  if (t.t === 'path') return selectPath(t.path, ctx.pathScope(f, f.input));
  const v = evalPathTemplate(t, ctx.pathScope(f, f.input));
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.values(v)[0] : v;
}

export async function runFail(ctx: StepContext, f: Frame, node: FailState): Promise<void> {
  const error = await failText(ctx, f, node, 'error');
  const cause = await failText(ctx, f, node, 'cause');
  await ctx.failFrame(f, error, cause);
}
