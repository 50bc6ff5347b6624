import type { IntrinsicScope } from '../asl/intrinsics.js';
import type { Json, JsonObject } from '../asl/json.js';
import type { ExprScope } from '../asl/jsonata.js';
import type { Machine, StateNode } from '../asl/types.js';
import type { ExecState, Frame } from './state.js';
import type { Command } from './types.js';

/** Extra members of the context object: the task token, the Map item being selected. */
export interface ContextExtra {
  token?: string | undefined;
  item?: { index: number; value: Json } | undefined;
}

/** `$states` for a JSONata evaluation (context is added by the step). */
export interface StatesVars {
  input: Json;
  result?: Json | undefined;
  errorOutput?: Json | undefined;
}

/**
 * What the state handlers see of the step in progress. The step (run.ts) implements
 * it; handlers never import the step, so the modules form no cycle.
 */
export interface StepContext {
  readonly st: ExecState;
  readonly machine: Machine;
  /** The activation's time, epoch ms: the time of every event this step records. */
  readonly at: number;
  emit(f: Frame | undefined, type: string, detailsKey?: string, details?: Record<string, unknown>): number;
  command(c: Command): void;
  node(f: Frame): StateNode;
  pathScope(f: Frame, input: Json, extra?: ContextExtra): IntrinsicScope;
  exprScope(f: Frame, vars: StatesVars, extra?: ContextExtra): ExprScope;
  contextObject(f: Frame, extra?: ContextExtra): JsonObject;
  /** Records the Exited event and moves the frame on (Next), or ends it (End). */
  exit(f: Frame, node: StateNode, output: Json): Promise<void>;
  /** Fails the frame: the execution, or the branch/iteration for its parent to handle. */
  failFrame(f: Frame, error: string | undefined, cause: string | undefined): Promise<void>;
  /** A failure of a Task/Map/Parallel state: Retry, then Catch, else failFrame. */
  recover(f: Frame, node: StateNode, error: string | undefined, cause: string | undefined): Promise<void>;
  /** Queues the frame to enter its current state. */
  ready(f: Frame): void;
  /** A new frame (branch or iteration) of `parent`, queued to enter `startAt` of `graph`. */
  spawn(parent: Frame, graph: string, index: number, input: Json, item?: { index: number; value: Json }): Frame;
  /** Ends a frame and everything under it: tasks cancelled, timers disarmed, no events. */
  abort(frameId: string): void;
  /** Records that `f` waits on a timer or task key. */
  park(f: Frame, key: string): void;
  /** Forgets a key; cancels it when it is a timer still armed. */
  unpark(key: string): void;
  startTimer(f: Frame, key: string, dueMs: number): void;
}

/** `PassStateEntered` etc.: AWS names state events after the state type. */
export function stateEvent(node: StateNode, phase: 'Entered' | 'Exited'): string {
  return `${node.type}State${phase}`;
}

export function jsonText(v: Json): string {
  return JSON.stringify(v);
}

/** AWS's prefix for a failure inside a state. */
export function inState(f: Frame, cause: string): string {
  return `An error occurred while executing the state '${f.state}' (entered at the event id #${f.entered}). ${cause}`;
}
