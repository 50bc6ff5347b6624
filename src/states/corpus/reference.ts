import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Json } from '../asl/json.js';
import type { TaskOutcome } from '../engine/simulate.js';
import { statesWith } from './harness.js';

/**
 * Runs a definition through aws-local-stepfunctions, the comparison engine of the
 * corpus tests and the benchmark (a devDependency: nothing in the product imports this).
 * Waits and retry backoff are made instant; Task states are answered by `play`.
 */
export async function runReference(definition: Json, input: Json, play: (state: string, input: Json) => TaskOutcome): Promise<{ output?: Json; error?: string }> {
  return referenceMachine(definition).run(input, play);
}

/** A definition built once by aws-local-stepfunctions (validation included), to run many times. */
export function referenceMachine(definition: Json): { run(input: Json, play: (state: string, input: Json) => TaskOutcome): Promise<{ output?: Json; error?: string }> } {
  polyfillWithResolvers();
  const sm = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: false } });
  const tasks = statesWith(definition, (s) => s['Type'] === 'Task');
  const zero = (names: string[]): Record<string, number> => Object.fromEntries(names.map((n) => [n, 0]));
  const waitTimeOverrides = zero(statesWith(definition, (s) => s['Type'] === 'Wait'));
  const retryIntervalOverrides = zero(statesWith(definition, (s) => Array.isArray(s['Retry'])));
  return {
    async run(input, play) {
      const handlers: Record<string, (input: Json) => Promise<Json>> = {};
      for (const name of tasks) {
        handlers[name] = async (taskInput) => {
          const r = play(name, taskInput);
          if (r === 'never') throw new Error('the reference cannot run a task that never answers');
          if ('output' in r) return r.output;
          throw Object.assign(new Error(r.cause ?? ''), { name: r.error ?? 'Error' });
        };
      }
      const run = sm.run(input as never, { overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides, retryIntervalOverrides } });
      try {
        return { output: (await run.result) as Json };
      } catch (err) {
        const cause = (err as { cause?: { name?: string } }).cause;
        return { error: cause?.name ?? (err as Error).name };
      }
    },
  };
}

/** aws-local-stepfunctions calls Promise.withResolvers (Node 22); Node 20 lacks it. */
function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (P.withResolvers) return;
  P.withResolvers = <T>() => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
