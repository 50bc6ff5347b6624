import { StatesErrors, StatesFailure } from '../asl/errors.js';
import { stringify, type Json } from '../asl/json.js';
import { requireExprValue } from '../asl/jsonata.js';
import { selectPath } from '../asl/jsonpath.js';
import type { MapState, ParallelState } from '../asl/types.js';
import type { StepContext } from './context.js';
import { effectiveInput, evalAmount, evalTemplate, stateOutput } from './io.js';
import type { Fan, Frame } from './state.js';

type FanState = MapState | ParallelState;

function newFan(kind: Fan['kind'], total: number, effective: Json): Fan {
  return {
    kind, total, results: new Array<Json>(total).fill(null), succeeded: 0, failed: 0, nextIndex: 0,
    running: new Set(), maxConcurrency: 0, items: [], effective, branchInput: null,
  };
}

export async function runParallel(ctx: StepContext, f: Frame, node: ParallelState): Promise<void> {
  const effective = effectiveInput(ctx, f, node);
  const input = node.parameters ? await evalTemplate(ctx, f, node, node.parameters, effective) : effective;
  ctx.emit(f, 'ParallelStateStarted');
  const fan = newFan('parallel', node.branches.length, effective);
  fan.branchInput = input;
  fan.nextIndex = node.branches.length;
  f.fan = fan;
  f.pending = { kind: 'fan' };
  node.branches.forEach((b, i) => fan.running.add(ctx.spawn(f, b.id, i, input).id));
}

async function mapItems(ctx: StepContext, f: Frame, node: MapState, effective: Json): Promise<Json[]> {
  let items: Json | undefined = effective;
  if (node.ql === 'JSONata') items = node.items ? await requireExprValue(node.items, ctx.exprScope(f, { input: f.input }), 'Items') : f.input;
  else if (node.itemsPath) items = selectPath(node.itemsPath, ctx.pathScope(f, effective));
  if (!Array.isArray(items)) {
    const where = node.itemsPath ? `Invalid path '${node.itemsPath.source}': ` : '';
    const error = node.ql === 'JSONata' ? StatesErrors.QueryEvaluationError : StatesErrors.Runtime;
    throw new StatesFailure(error, `${where}The Map state's items must be a JSON array, got ${stringify(items ?? null)}`);
  }
  return items;
}

export async function runMap(ctx: StepContext, f: Frame, node: MapState): Promise<void> {
  const effective = effectiveInput(ctx, f, node);
  const items = await mapItems(ctx, f, node, effective);
  const fan = newFan('map', items.length, effective);
  fan.items = items;
  if (node.maxConcurrency) fan.maxConcurrency = Math.floor(await evalAmount(ctx, f, node, node.maxConcurrency, effective, 'MaxConcurrency'));
  if (node.toleratedFailureCount) fan.toleratedCount = await evalAmount(ctx, f, node, node.toleratedFailureCount, effective, 'ToleratedFailureCount');
  if (node.toleratedFailurePercentage) {
    fan.toleratedPercentage = await evalAmount(ctx, f, node, node.toleratedFailurePercentage, effective, 'ToleratedFailurePercentage');
  }
  ctx.emit(f, 'MapStateStarted', 'mapStateStartedEventDetails', { length: items.length });
  f.fan = fan;
  f.pending = { kind: 'fan' };
  if (items.length === 0) await finishFan(ctx, f, node);
  else await fill(ctx, f, node, fan);
}

/** Starts iterations while items remain and MaxConcurrency allows. */
async function fill(ctx: StepContext, f: Frame, node: MapState, fan: Fan): Promise<void> {
  while (fan.nextIndex < fan.total && (fan.maxConcurrency === 0 || fan.running.size < fan.maxConcurrency)) {
    const index = fan.nextIndex++;
    const value = fan.items[index] as Json;
    const item = { index, value };
    const input = node.itemSelector ? await evalTemplate(ctx, f, node, node.itemSelector, fan.effective, { item }, { input: f.input }) : value;
    ctx.emit(f, 'MapIterationStarted', 'mapIterationStartedEventDetails', { name: node.name, index });
    fan.running.add(ctx.spawn(f, node.processor.id, index, input, item).id);
  }
}

async function finishFan(ctx: StepContext, f: Frame, node: FanState): Promise<void> {
  const fan = f.fan as Fan;
  ctx.emit(f, node.type === 'Map' ? 'MapStateSucceeded' : 'ParallelStateSucceeded');
  f.fan = undefined;
  f.pending = undefined;
  const out = await stateOutput(ctx, f, node, {
    effective: fan.effective, result: fan.results, selectable: true, resultPath: node.resultPath, resultPathSource: node.resultPathSource,
    output: node.output, assign: node.assign,
  });
  await ctx.exit(f, node, out);
}

/** Runs `fn`; a state failure inside it is the Map/Parallel state's own failure. */
async function guarded(ctx: StepContext, f: Frame, node: FanState, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof StatesFailure)) throw err;
    if (f.fan) abortAll(ctx, f, node);
    await ctx.recover(f, node, err.error, err.cause);
  }
}

function abortAll(ctx: StepContext, f: Frame, node: FanState): void {
  const fan = f.fan as Fan;
  for (const id of fan.running) {
    const child = ctx.st.frames.get(id);
    if (node.type === 'Map' && child?.parent) ctx.emit(f, 'MapIterationAborted', 'mapIterationAbortedEventDetails', { name: node.name, index: child.parent.index });
    ctx.abort(id);
  }
  fan.running.clear();
  f.fan = undefined;
  f.pending = undefined;
}

export async function childSucceeded(ctx: StepContext, f: Frame, node: FanState, index: number, childId: string, output: Json): Promise<void> {
  const fan = f.fan as Fan;
  fan.running.delete(childId);
  fan.results[index] = output;
  fan.succeeded += 1;
  if (node.type === 'Map') ctx.emit(f, 'MapIterationSucceeded', 'mapIterationSucceededEventDetails', { name: node.name, index });
  await guarded(ctx, f, node, () => progress(ctx, f, node, fan));
}

async function progress(ctx: StepContext, f: Frame, node: FanState, fan: Fan): Promise<void> {
  if (fan.succeeded + fan.failed === fan.total) await finishFan(ctx, f, node);
  else if (node.type === 'Map') await fill(ctx, f, node, fan);
}

function tolerated(fan: Fan): boolean | undefined {
  if (fan.toleratedCount === undefined && fan.toleratedPercentage === undefined) return undefined;
  const byCount = fan.toleratedCount !== undefined && fan.failed <= fan.toleratedCount;
  const byShare = fan.toleratedPercentage !== undefined && (fan.failed / fan.total) * 100 <= fan.toleratedPercentage;
  return byCount || byShare;
}

export async function childFailed(
  ctx: StepContext, f: Frame, node: FanState, index: number, childId: string, error: string | undefined, cause: string | undefined,
): Promise<void> {
  const fan = f.fan as Fan;
  fan.running.delete(childId);
  fan.failed += 1;
  if (node.type === 'Map') {
    ctx.emit(f, 'MapIterationFailed', 'mapIterationFailedEventDetails', { name: node.name, index });
    const ok = tolerated(fan);
    if (ok) {
      fan.results[index] = { Error: error ?? '', Cause: cause ?? '' };
      await guarded(ctx, f, node, () => progress(ctx, f, node, fan));
      return;
    }
    if (ok === false) {
      error = StatesErrors.ExceedToleratedFailureThreshold;
      cause = `The Map state failed because ${fan.failed} of ${fan.total} iterations failed, more than it tolerates.`;
    }
  }
  abortAll(ctx, f, node);
  ctx.emit(f, node.type === 'Map' ? 'MapStateFailed' : 'ParallelStateFailed');
  await ctx.recover(f, node, error, cause);
}
