import type { Json, JsonObject } from '../asl/json.js';
import type { Random } from '../asl/random.js';
import type { ExecutionInfo, ExecutionStatus, TaskPattern } from './types.js';

/** What a frame is parked on. */
export type Pending =
  | {
      kind: 'task';
      key: string;
      activity: boolean;
      service: string;
      resource: string;
      pattern: TaskPattern;
      heartbeatSeconds?: number | undefined;
      token?: string | undefined;
    }
  | { kind: 'wait'; key: string }
  | { kind: 'retry'; key: string }
  | { kind: 'fan' };

/** A Map or Parallel state waiting for its iterations or branches. */
export interface Fan {
  kind: 'map' | 'parallel';
  total: number;
  results: Json[];
  succeeded: number;
  failed: number;
  nextIndex: number;
  running: Set<string>;
  /** 0: no limit. */
  maxConcurrency: number;
  toleratedCount?: number | undefined;
  toleratedPercentage?: number | undefined;
  /** Map: the items; Parallel: unused. */
  items: Json[];
  /** The state's effective input (after InputPath): what ItemSelector reads. */
  effective: Json;
  /** Parallel: each branch's input. */
  branchInput: Json;
}

/**
 * One thread of control: the execution itself, a Parallel branch, or a Map iteration.
 * It is at one state of one States block (`graph`) at a time.
 */
export interface Frame {
  id: string;
  graph: string;
  parent?: { frame: string; index: number } | undefined;
  state: string;
  /** The raw input of the current state. */
  input: Json;
  /** Id of the current state's Entered event (0 before the first). */
  entered: number;
  enteredAt: number;
  /** The last event this frame recorded: the next one's previousEventId. */
  last: number;
  attempts: number[];
  retryCount: number;
  vars: JsonObject;
  item?: { index: number; value: Json } | undefined;
  pending?: Pending | undefined;
  fan?: Fan | undefined;
  /** The random source of the current state run, made on first use. */
  rng?: Random | undefined;
}

/** Everything the engine knows about one execution; rebuilt by replaying activations. */
export interface ExecState {
  info: ExecutionInfo;
  status: ExecutionStatus;
  seed: string;
  input: Json;
  lastId: number;
  frames: Map<string, Frame>;
  /** Timer and task keys → the frame that waits on them. */
  waits: Map<string, string>;
  /** Frames ready to enter their current state, in order. */
  ready: string[];
  nextFrame: number;
  output?: string | undefined;
  error?: string | undefined;
  cause?: string | undefined;
  /** Keys of timers that are armed (task timeouts and heartbeats, waits, retries, the execution timeout). */
  timers: Set<string>;
}

export function newState(info: ExecutionInfo): ExecState {
  return {
    info,
    status: 'RUNNING',
    seed: '',
    input: null,
    lastId: 0,
    frames: new Map(),
    waits: new Map(),
    ready: [],
    nextFrame: 0,
    timers: new Set(),
  };
}
