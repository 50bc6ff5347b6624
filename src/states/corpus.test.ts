import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDefinition } from './asl/parse.js';
import { Engine } from './engine/index.js';
import { simulate } from './engine/simulate.js';
import { loadCorpus, scriptedTasks, type CorpusCase } from './corpus/harness.js';
import { runReference } from './corpus/reference.js';

const files = loadCorpus(path.join(import.meta.dirname, 'corpus'));

async function runSkiff(c: CorpusCase) {
  const parsed = parseDefinition(JSON.stringify(c.definition));
  if (!parsed.machine) return { diagnostics: parsed.diagnostics };
  const { respond } = scriptedTasks(c.tasks);
  const r = await simulate(parsed.machine, { input: c.input ?? {}, respond, seed: `corpus/${c.name}` });
  // determinism: replaying the recorded activations reproduces the same history
  const again = await new Engine(parsed.machine).replay(r.state.info, r.activations);
  expect(again.events).toEqual(r.events);
  expect(again.state.status).toBe(r.status);
  return { result: r, diagnostics: parsed.diagnostics };
}

let total = 0;
for (const file of files) {
  describe(`corpus: ${file.topic}`, () => {
    for (const c of file.cases) {
      total += 1;
      it(c.name, async () => {
        const { result, diagnostics } = await runSkiff(c);
        if ('invalid' in c.expect) {
          expect(result, 'the definition should be refused').toBeUndefined();
          expect(diagnostics.map((d) => d.code)).toContain(c.expect.invalid);
          if (c.expect.messageContains) expect(diagnostics.map((d) => d.message).join('\n')).toContain(c.expect.messageContains);
          return;
        }
        expect(diagnostics.filter((d) => d.severity === 'ERROR'), 'the definition should be valid').toEqual([]);
        if (!result) throw new Error('no result');
        if ('output' in c.expect) {
          expect({ status: result.status, error: result.error, cause: result.cause }).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });
          expect(result.output).toEqual(c.expect.output);
        } else {
          expect(result.status).toBe(c.expect.status ?? 'FAILED');
          expect(result.error ?? null).toBe(c.expect.error);
          if (c.expect.cause !== undefined) expect(result.cause).toBe(c.expect.cause);
          if (c.expect.causeContains !== undefined) expect(result.cause).toContain(c.expect.causeContains);
        }
        if (c.minElapsedMs !== undefined) expect(result.elapsedMs).toBeGreaterThanOrEqual(c.minElapsedMs);
        if (c.events) expect(result.events.map((e) => e.type)).toEqual(c.events);
        if (c.compare === false) return;
        const ref = await runReference(c.definition, c.input ?? {}, scriptedTasks(c.tasks).play);
        if ('output' in c.expect) expect(ref, 'aws-local-stepfunctions').toEqual({ output: result.output });
        else expect(ref.error, 'aws-local-stepfunctions').toBe(result.error);
      });
    }
  });
}

describe('corpus size', () => {
  it('has at least 150 definitions', () => {
    expect(total).toBeGreaterThanOrEqual(150);
  });
});
