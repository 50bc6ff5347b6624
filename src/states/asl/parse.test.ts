import { describe, expect, it } from 'vitest';
import { invalidDefinitionMessage } from './diagnostics.js';
import { parseIntrinsic } from './intrinsics-parse.js';
import { compilePath, compileReferencePath, placeAt } from './jsonpath.js';
import { parseDefinition } from './parse.js';

const findings = (def: unknown): { code: string; message: string; location: string }[] =>
  parseDefinition(JSON.stringify(def)).diagnostics.map(({ code, message, location }) => ({ code, message, location }));

describe('parseDefinition', () => {
  it('compiles a valid definition into a typed tree with every block addressable', () => {
    const r = parseDefinition(
      JSON.stringify({
        StartAt: 'M',
        States: {
          M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, Next: 'P' },
          P: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Succeed' } } }], End: true },
        },
      }),
    );
    expect(r.diagnostics).toEqual([]);
    expect([...(r.machine?.graphs.keys() ?? [])].sort()).toEqual(['', '/States/M/ItemProcessor', '/States/P/Branches[0]']);
    expect(r.machine?.root.states.get('M')?.type).toBe('Map');
  });

  it('reports JSON syntax errors and an empty definition', () => {
    expect(parseDefinition('{"StartAt":').diagnostics[0]?.code).toBe('INVALID_JSON_DESCRIPTION');
    expect(parseDefinition('').diagnostics[0]?.code).toBe('MISSING_DESCRIPTION');
  });

  it('words transition and schema errors as AWS does, with JSON-pointer locations', () => {
    expect(findings({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true, Bogus: 1 } } })).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', message: "The field 'Bogus' is not supported by Step Functions", location: '/States/B' },
    ]);
    expect(findings({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Gone' } } })).toContainEqual({
      code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: Gone", location: '/States/A/Next',
    });
    expect(findings({ StartAt: 'A', States: { A: { Type: 'Pass', End: true }, Orphan: { Type: 'Succeed' } } })).toEqual([
      { code: 'MISSING_TRANSITION_TARGET', message: 'State "Orphan" is not reachable', location: '/States/Orphan' },
    ]);
    expect(findings({ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'x.$': 'nope' }, End: true } } })).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', message: "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call", location: '/States/A/Parameters' },
    ]);
  });

  it('names the fields of the other query language', () => {
    expect(findings({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', ResultPath: '$.x', End: true } } })).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', message: "The field 'ResultPath' is not supported by Step Functions when QueryLanguage is JSONata", location: '/States/A' },
    ]);
    expect(findings({ StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% 1 %}', End: true } } })[0]?.message).toContain('when QueryLanguage is JSONPath');
  });

  it('formats InvalidDefinition messages', () => {
    const d = parseDefinition(JSON.stringify({ StartAt: 'X', States: { A: { Type: 'Pass', End: true } } })).diagnostics;
    expect(invalidDefinitionMessage(d)).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /StartAt', 'MISSING_TRANSITION_TARGET: State \"A\" is not reachable at /States/A'",
    );
  });
});

describe('JSONPath', () => {
  it('compiles definite paths, context and variable paths, and indefinite ones', () => {
    expect(compilePath("$.a['b c'][2].d")).toMatchObject({ root: 'input', segments: ['a', 'b c', 2, 'd'] });
    expect(compilePath('$$.Execution.Id')).toMatchObject({ root: 'context', segments: ['Execution', 'Id'] });
    expect(compilePath('$total.x')).toMatchObject({ root: 'variable', variable: 'total', segments: ['x'] });
    expect(compilePath('$.items[*].id')).toMatchObject({ root: 'input', query: '$.items[*].id' });
    expect(() => compilePath('a.b')).toThrow(/must start with '\$'/);
    expect(() => compileReferencePath('$..x')).toThrow(/not a valid reference path/);
  });

  it('places results along a reference path without touching the input', () => {
    const input = { a: { keep: 1 }, list: [0, 1] };
    expect(placeAt(input, ['a', 'b'], 2, '$.a.b')).toEqual({ a: { keep: 1, b: 2 }, list: [0, 1] });
    expect(placeAt(input, ['list', 1], 'x', '$.list[1]')).toEqual({ a: { keep: 1 }, list: [0, 'x'] });
    expect(input).toEqual({ a: { keep: 1 }, list: [0, 1] });
    expect(() => placeAt('text', ['a'], 1, '$.a')).toThrow(/Unable to apply ReferencePath \$\.a to input "text"/);
  });
});

describe('intrinsic functions', () => {
  it('parses nested calls, literals with escapes, and paths with brackets', () => {
    const c = parseIntrinsic("States.Format('it\\'s {}', States.ArrayGetItem($.a['x,y'], 0), -1.5, true, null)");
    expect(c.name).toBe('States.Format');
    expect(c.args.map((a) => a.kind)).toEqual(['literal', 'call', 'literal', 'literal', 'literal']);
    expect(c.args[0]).toMatchObject({ kind: 'literal', value: "it's {}" });
    expect(() => parseIntrinsic('States.Nope(1)')).toThrow(/unknown intrinsic function States.Nope/);
    expect(() => parseIntrinsic("States.Format('x'")).toThrow(/expected '\)'/);
  });
});
