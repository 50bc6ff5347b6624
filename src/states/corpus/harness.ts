import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Json } from '../asl/json.js';
import { isObject } from '../asl/json.js';
import type { ScheduleTask } from '../engine/index.js';
import type { TaskOutcome } from '../engine/simulate.js';

/**
 * The corpus: definitions with an input and the expected output or error, as data
 * files (`*.json` here). `corpus.test.ts` runs every case through the engine and,
 * unless `compare` is false, through aws-local-stepfunctions as well.
 */
export interface CorpusCase {
  name: string;
  definition: Json;
  input?: Json;
  /** Scripted task answers by state name, in order; the last one repeats. */
  tasks?: Record<string, TaskScript[]>;
  expect:
    | { output: Json }
    | { error: string | null; cause?: string; causeContains?: string; status?: 'FAILED' | 'TIMED_OUT' }
    | { invalid: string; messageContains?: string };
  /** false when aws-local-stepfunctions cannot run the case (and `why` says why). */
  compare?: boolean;
  why?: string;
  /** Virtual milliseconds the run must take at least (waits, retry backoff). */
  minElapsedMs?: number;
  /** Context members to compare the history with: event types in order. */
  events?: string[];
}

export type TaskScript = { output: Json } | { echo: true } | { error?: string; cause?: string } | { never: true };

export interface CorpusFile {
  topic: string;
  cases: CorpusCase[];
}

export function loadCorpus(dir: string): CorpusFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CorpusFile);
}

/** A responder that plays the scripts, per state, in order. */
export function scriptedTasks(scripts: Record<string, TaskScript[]> = {}): { respond: (t: ScheduleTask) => TaskOutcome; play: (state: string, input: Json) => TaskOutcome } {
  const calls = new Map<string, number>();
  const play = (state: string, input: Json): TaskOutcome => {
    const list = scripts[state];
    if (!list || list.length === 0) return { output: input };
    const n = calls.get(state) ?? 0;
    calls.set(state, n + 1);
    const s = list[Math.min(n, list.length - 1)] as TaskScript;
    if ('never' in s) return 'never';
    if ('echo' in s) return { output: input };
    if ('output' in s) return { output: s.output };
    return { error: s.error, cause: s.cause };
  };
  return { respond: (t) => play(t.state, t.input), play };
}

/** Every state name in a definition with the given fields (for the comparison engine's overrides). */
export function statesWith(definition: Json, test: (state: Record<string, Json>) => boolean): string[] {
  const out: string[] = [];
  const visit = (block: Json): void => {
    if (!isObject(block) || !isObject(block['States'])) return;
    for (const [name, s] of Object.entries(block['States'])) {
      if (!isObject(s)) continue;
      if (test(s)) out.push(name);
      if (Array.isArray(s['Branches'])) s['Branches'].forEach(visit);
      visit(s['ItemProcessor'] ?? s['Iterator'] ?? null);
    }
  };
  visit(definition);
  return out;
}
