import { errorMatches, isTerminal } from '../asl/errors.js';
import type { Json } from '../asl/json.js';
import { requireExprValue } from '../asl/jsonata.js';
import { placeAt } from '../asl/jsonpath.js';
import { seededRandom } from '../asl/random.js';
import { evalPathTemplate } from '../asl/template.js';
import type { Catcher, MapState, ParallelState, Retrier, StateNode, TaskState } from '../asl/types.js';
import { stateEvent, type StepContext } from './context.js';
import type { Frame } from './state.js';

type Recoverable = TaskState | MapState | ParallelState;

function recoverable(node: StateNode): node is Recoverable {
  return node.type === 'Task' || node.type === 'Map' || node.type === 'Parallel';
}

/** Seconds before retry number `attempt` (0-based): backoff, cap, then FULL jitter from seeded randomness. */
export function retryDelaySeconds(r: Retrier, attempt: number, draw: () => number): number {
  let delay = r.intervalSeconds * Math.pow(r.backoffRate, attempt);
  if (r.maxDelaySeconds !== undefined) delay = Math.min(delay, r.maxDelaySeconds);
  if (r.jitter === 'FULL') delay = draw() * delay;
  return delay;
}

function tryRetry(ctx: StepContext, f: Frame, node: Recoverable, error: string): boolean {
  const i = node.retry.findIndex((r) => errorMatches(r.errorEquals, error));
  const r = node.retry[i];
  if (!r) return false;
  const done = f.attempts[i] ?? 0;
  if (done >= r.maxAttempts) return false;
  const rng = seededRandom(`${ctx.st.seed}/retry/${f.entered}/${f.retryCount}`);
  const delayMs = Math.round(retryDelaySeconds(r, done, () => rng.next()) * 1000);
  f.attempts[i] = done + 1;
  f.retryCount += 1;
  f.rng = undefined;
  const key = `retry:${f.id}:${f.entered}:${f.retryCount}`;
  f.pending = { kind: 'retry', key };
  ctx.startTimer(f, key, ctx.at + delayMs);
  return true;
}

/** The output a catcher hands to its Next state. */
async function catchOutput(ctx: StepContext, f: Frame, node: Recoverable, c: Catcher, errorOutput: Json): Promise<Json> {
  if (node.ql === 'JSONata') {
    const vars = { input: f.input, errorOutput };
    const assigned = c.assign ? await requireExprValue(c.assign, ctx.exprScope(f, vars), 'Assign') : undefined;
    const out = c.output ? await requireExprValue(c.output, ctx.exprScope(f, vars), 'Output') : errorOutput;
    if (assigned && typeof assigned === 'object' && !Array.isArray(assigned)) Object.assign(f.vars, assigned);
    return out;
  }
  const assigned = c.assign ? evalPathTemplate(c.assign, ctx.pathScope(f, errorOutput)) : undefined;
  let out: Json = errorOutput;
  if (c.resultPath === null) out = f.input;
  else if (c.resultPath !== undefined) out = placeAt(f.input, c.resultPath, errorOutput, c.resultPathSource ?? '$');
  if (assigned && typeof assigned === 'object' && !Array.isArray(assigned)) Object.assign(f.vars, assigned);
  return out;
}

/**
 * A Task, Map or Parallel state failed: the first matching retrier retries it (after its
 * backoff) while attempts remain; else the first matching catcher moves on to its Next
 * with the error output; else the frame fails. States.Runtime and
 * States.DataLimitExceeded are never retried or caught.
 */
export async function recover(ctx: StepContext, f: Frame, node: StateNode, error: string | undefined, cause: string | undefined): Promise<void> {
  const name = error ?? '';
  if (!recoverable(node) || isTerminal(name)) return ctx.failFrame(f, error, cause);
  if (tryRetry(ctx, f, node, name)) return;
  const c = node.catch.find((k) => errorMatches(k.errorEquals, name));
  if (!c) return ctx.failFrame(f, error, cause);
  const errorOutput: Json = { Error: name, Cause: cause ?? '' };
  let out: Json;
  try {
    out = await catchOutput(ctx, f, node, c, errorOutput);
  } catch (err) {
    const e = err as { error?: string; cause?: string };
    return ctx.failFrame(f, e.error ?? name, e.cause ?? String(err));
  }
  ctx.emit(f, stateEvent(node, 'Exited'), 'stateExitedEventDetails', { name: node.name, output: JSON.stringify(out), outputDetails: { truncated: false } });
  moveTo(ctx, f, c.next, out);
}

/** Moves a frame to another state of its block, queued to enter. */
export function moveTo(ctx: StepContext, f: Frame, next: string, input: Json): void {
  f.state = next;
  f.input = input;
  ctx.ready(f);
}
