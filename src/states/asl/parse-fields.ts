import type { Diagnostics } from './diagnostics.js';
import { StatesErrors } from './errors.js';
import { checkExpression } from './jsonata.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { compilePath, compileReferencePath, type CompiledPath } from './jsonpath.js';
import { compileExprTemplate, compilePathTemplate, expressionSource, isExpression } from './template.js';
import type { Amount, Catcher, QueryLanguage, Retrier, StateType, Template } from './types.js';

/** What compiling one state works with. */
export interface FieldCtx {
  readonly raw: JsonObject;
  readonly location: string;
  readonly ql: QueryLanguage;
  readonly diag: Diagnostics;
}

const COMMON = ['Type', 'Comment', 'QueryLanguage', 'Assign'];
const FLOW = ['Next', 'End'];
const RESULTFUL = ['Retry', 'Catch'];

/** Fields each state type accepts: in both languages, only with JSONPath, only with JSONata. */
export const FIELDS: Record<StateType, { both: string[]; path: string[]; jsonata: string[] }> = {
  Pass: { both: [...COMMON, ...FLOW], path: ['InputPath', 'OutputPath', 'Parameters', 'Result', 'ResultPath'], jsonata: ['Output'] },
  Task: {
    both: [...COMMON, ...FLOW, ...RESULTFUL, 'Resource', 'TimeoutSeconds', 'HeartbeatSeconds', 'Credentials'],
    path: ['InputPath', 'OutputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath'],
    jsonata: ['Arguments', 'Output'],
  },
  Choice: { both: [...COMMON, 'Choices', 'Default'], path: ['InputPath', 'OutputPath'], jsonata: ['Output'] },
  Wait: { both: [...COMMON, ...FLOW, 'Seconds', 'Timestamp'], path: ['InputPath', 'OutputPath', 'SecondsPath', 'TimestampPath'], jsonata: ['Output'] },
  Succeed: { both: [...COMMON], path: ['InputPath', 'OutputPath'], jsonata: ['Output'] },
  Fail: { both: ['Type', 'Comment', 'QueryLanguage', 'Error', 'Cause'], path: ['ErrorPath', 'CausePath'], jsonata: [] },
  Parallel: {
    both: [...COMMON, ...FLOW, ...RESULTFUL, 'Branches'],
    path: ['InputPath', 'OutputPath', 'Parameters', 'ResultSelector', 'ResultPath'],
    jsonata: ['Arguments', 'Output'],
  },
  Map: {
    both: [...COMMON, ...FLOW, ...RESULTFUL, 'ItemProcessor', 'Iterator', 'ItemSelector', 'MaxConcurrency', 'ToleratedFailureCount',
      'ToleratedFailurePercentage', 'Label', 'ItemReader', 'ResultWriter', 'ItemBatcher'],
    path: ['InputPath', 'OutputPath', 'ItemsPath', 'Parameters', 'ResultSelector', 'ResultPath', 'MaxConcurrencyPath',
      'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath'],
    jsonata: ['Items', 'Output'],
  },
};

export function checkFields(ctx: FieldCtx, type: StateType): void {
  const f = FIELDS[type];
  const mine = ctx.ql === 'JSONPath' ? f.path : f.jsonata;
  const theirs = ctx.ql === 'JSONPath' ? f.jsonata : f.path;
  for (const key of Object.keys(ctx.raw)) {
    if (f.both.includes(key) || mine.includes(key)) continue;
    const why = theirs.includes(key) ? ` when QueryLanguage is ${ctx.ql}` : '';
    ctx.diag.schema(`The field '${key}' is not supported by Step Functions${why}`, ctx.location);
  }
}

export function optionalString(ctx: FieldCtx, key: string): string | undefined {
  const v = ctx.raw[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') {
    ctx.diag.schema(`The field '${key}' must be a string`, `${ctx.location}/${key}`);
    return undefined;
  }
  return v;
}

export function path(ctx: FieldCtx, key: string): CompiledPath | null | undefined {
  const v = ctx.raw[key];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'string') {
    ctx.diag.schema(`The field '${key}' must be a JSONPath string or null`, `${ctx.location}/${key}`);
    return undefined;
  }
  try {
    return compilePath(v);
  } catch (err) {
    ctx.diag.schema(`The value for the field '${key}' must be a valid JSONPath: ${(err as Error).message}`, `${ctx.location}/${key}`);
    return undefined;
  }
}

export function referencePath(ctx: FieldCtx, raw: Json | undefined, location: string): readonly (string | number)[] | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  if (typeof raw !== 'string') {
    ctx.diag.schema('The field \'ResultPath\' must be a reference path string or null', location);
    return undefined;
  }
  try {
    return compileReferencePath(raw);
  } catch (err) {
    ctx.diag.schema(`The value for the field 'ResultPath' must be a valid ReferencePath: ${(err as Error).message}`, location);
    return undefined;
  }
}

/** A template field in the state's language: Parameters/ResultSelector (JSONPath), Arguments/Output (JSONata). */
export function template(ctx: FieldCtx, key: string, raw: Json | undefined = ctx.raw[key], location = `${ctx.location}/${key}`): Template | undefined {
  if (raw === undefined) return undefined;
  if (ctx.ql === 'JSONata') return exprTemplate(ctx.diag, raw, location);
  if (key !== 'Assign' && !isObject(raw)) {
    ctx.diag.schema(`The field '${key}' must be an object`, location);
    return undefined;
  }
  return compilePathTemplate(raw, location, ctx.diag);
}

export function exprTemplate(diag: Diagnostics, raw: Json, location: string): Template {
  return compileExprTemplate(raw, location, diag, (source, at) => {
    const problem = checkExpression(source);
    if (problem) diag.schema(problem, at);
  });
}

/** The Assign field: an object of variable names (JSONPath keys may end in `.$`). */
export function assign(ctx: FieldCtx, raw: Json | undefined = ctx.raw['Assign'], location = `${ctx.location}/Assign`): Template | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) {
    ctx.diag.schema("The field 'Assign' must be an object", location);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    const name = key.endsWith('.$') ? key.slice(0, -2) : key;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name === 'states') {
      ctx.diag.schema(`The variable name '${name}' is not valid: use letters, digits and underscores, not starting with a digit (and not 'states')`, location);
    }
  }
  return template(ctx, 'Assign', raw, location);
}

/** A whole number given as a value, a `...Path` field, or (JSONata) an expression. */
export function amount(ctx: FieldCtx, key: string, min: number): Amount | undefined {
  const v = ctx.raw[key];
  const viaPath = ctx.raw[`${key}Path`];
  if (v !== undefined && viaPath !== undefined) {
    ctx.diag.schema(`Only one of '${key}' and '${key}Path' may be specified`, ctx.location);
    return undefined;
  }
  if (viaPath !== undefined) {
    const p = path(ctx, `${key}Path`);
    return p ? { kind: 'path', path: p } : undefined;
  }
  if (v === undefined) return undefined;
  if (ctx.ql === 'JSONata' && isExpression(v)) {
    const source = expressionSource(v);
    const problem = checkExpression(source);
    if (problem) ctx.diag.schema(problem, `${ctx.location}/${key}`);
    return { kind: 'expr', expr: { source } };
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    ctx.diag.schema(`The field '${key}' must be an integer greater than or equal to ${min}`, `${ctx.location}/${key}`);
    return undefined;
  }
  return { kind: 'value', value: v };
}

function errorEquals(ctx: FieldCtx, raw: JsonObject, location: string): string[] {
  const list = raw['ErrorEquals'];
  if (!Array.isArray(list) || list.length === 0 || !list.every((e) => typeof e === 'string')) {
    ctx.diag.schema("The field 'ErrorEquals' must be a non-empty array of error names", `${location}/ErrorEquals`);
    return [];
  }
  const names = list as string[];
  if (names.includes(StatesErrors.ALL) && names.length > 1) {
    ctx.diag.schema("'States.ALL' must appear alone in ErrorEquals", `${location}/ErrorEquals`);
  }
  return names;
}

function checkAllLast(ctx: FieldCtx, list: readonly { errorEquals: readonly string[] }[], key: string): void {
  list.forEach((r, i) => {
    if (r.errorEquals.includes(StatesErrors.ALL) && i !== list.length - 1) {
      ctx.diag.schema(`A ${key === 'Retry' ? 'retrier' : 'catcher'} with 'States.ALL' must be the last one`, `${ctx.location}/${key}[${i}]`);
    }
  });
}

function number(ctx: FieldCtx, raw: JsonObject, key: string, location: string, check: (n: number) => boolean, what: string): number | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !check(v)) {
    ctx.diag.schema(`The field '${key}' must be ${what}`, `${location}/${key}`);
    return undefined;
  }
  return v;
}

export function retriers(ctx: FieldCtx): Retrier[] {
  const raw = ctx.raw['Retry'];
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    ctx.diag.schema("The field 'Retry' must be an array", `${ctx.location}/Retry`);
    return [];
  }
  const out = raw.map((r, i): Retrier => {
    const at = `${ctx.location}/Retry[${i}]`;
    const o = isObject(r) ? r : {};
    for (const k of Object.keys(o)) {
      if (!['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'].includes(k)) {
        ctx.diag.schema(`The field '${k}' is not supported by Step Functions`, at);
      }
    }
    const jitter = o['JitterStrategy'] ?? 'NONE';
    if (jitter !== 'FULL' && jitter !== 'NONE') ctx.diag.schema("The field 'JitterStrategy' must be FULL or NONE", `${at}/JitterStrategy`);
    return {
      errorEquals: errorEquals(ctx, o, at),
      intervalSeconds: number(ctx, o, 'IntervalSeconds', at, (n) => Number.isInteger(n) && n >= 1, 'an integer of at least 1') ?? 1,
      maxAttempts: number(ctx, o, 'MaxAttempts', at, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer') ?? 3,
      backoffRate: number(ctx, o, 'BackoffRate', at, (n) => n >= 1, 'a number of at least 1.0') ?? 2,
      maxDelaySeconds: number(ctx, o, 'MaxDelaySeconds', at, (n) => Number.isInteger(n) && n >= 1, 'a positive integer'),
      jitter: jitter === 'FULL' ? 'FULL' : 'NONE',
    };
  });
  checkAllLast(ctx, out, 'Retry');
  return out;
}

export function catchers(ctx: FieldCtx): Catcher[] {
  const raw = ctx.raw['Catch'];
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    ctx.diag.schema("The field 'Catch' must be an array", `${ctx.location}/Catch`);
    return [];
  }
  const allowed = ['ErrorEquals', 'Next', 'Comment', 'Assign', ...(ctx.ql === 'JSONPath' ? ['ResultPath'] : ['Output'])];
  const out = raw.map((c, i): Catcher => {
    const at = `${ctx.location}/Catch[${i}]`;
    const o = isObject(c) ? c : {};
    for (const k of Object.keys(o)) if (!allowed.includes(k)) ctx.diag.schema(`The field '${k}' is not supported by Step Functions`, at);
    if (typeof o['Next'] !== 'string') ctx.diag.schema('These fields are required: [Next]', at);
    return {
      errorEquals: errorEquals(ctx, o, at),
      next: typeof o['Next'] === 'string' ? o['Next'] : '',
      resultPath: referencePath(ctx, o['ResultPath'], `${at}/ResultPath`),
      resultPathSource: typeof o['ResultPath'] === 'string' ? o['ResultPath'] : undefined,
      output: o['Output'] === undefined ? undefined : exprTemplate(ctx.diag, o['Output'], `${at}/Output`),
      assign: assign(ctx, o['Assign'], `${at}/Assign`),
    };
  });
  checkAllLast(ctx, out, 'Catch');
  return out;
}
