import { compileComparison, isTimestamp } from './choice.js';
import { isObject, type Json } from './json.js';
import {
  amount, assign, catchers, checkFields, exprTemplate, optionalString, path, referencePath, retriers, template, type FieldCtx,
} from './parse-fields.js';
import { isExpression } from './template.js';
import type {
  Amount, ChoiceRule, ChoiceState, FailState, Graph, MapState, ParallelState, PassState, StateNode, StateType, SucceedState, TaskState, Template,
  WaitFor, WaitState,
} from './types.js';

/** Compiles a nested States block (a Parallel branch or a Map's processor). */
export type GraphCompiler = (raw: Json, location: string, ql: FieldCtx['ql']) => Graph | undefined;

const TYPES: readonly StateType[] = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];

function base(ctx: FieldCtx, name: string) {
  const next = optionalString(ctx, 'Next');
  const end = ctx.raw['End'];
  if (end !== undefined && end !== true) ctx.diag.schema("The field 'End' must be true when present", `${ctx.location}/End`);
  return {
    name,
    ql: ctx.ql,
    location: ctx.location,
    next,
    end: end === true,
    inputPath: ctx.ql === 'JSONPath' ? path(ctx, 'InputPath') : undefined,
    outputPath: ctx.ql === 'JSONPath' ? path(ctx, 'OutputPath') : undefined,
    assign: assign(ctx),
    output: ctx.ql === 'JSONata' ? template(ctx, 'Output') : undefined,
  };
}

function flow(ctx: FieldCtx, type: StateType): void {
  if (type === 'Choice' || type === 'Succeed' || type === 'Fail') return;
  const hasNext = ctx.raw['Next'] !== undefined;
  const hasEnd = ctx.raw['End'] !== undefined;
  if (hasNext && hasEnd) ctx.diag.schema("Only one of 'Next' and 'End' may be specified", ctx.location);
  if (!hasNext && !hasEnd) ctx.diag.schema("These fields are required: [Next] or [End]", ctx.location);
}

function resultful(ctx: FieldCtx) {
  return {
    resultSelector: ctx.ql === 'JSONPath' ? template(ctx, 'ResultSelector') : undefined,
    resultPath: ctx.ql === 'JSONPath' ? referencePath(ctx, ctx.raw['ResultPath'], `${ctx.location}/ResultPath`) : undefined,
    resultPathSource: typeof ctx.raw['ResultPath'] === 'string' ? ctx.raw['ResultPath'] : undefined,
    retry: retriers(ctx),
    catch: catchers(ctx),
  };
}

function pass(ctx: FieldCtx, name: string): PassState {
  return {
    ...base(ctx, name),
    type: 'Pass',
    parameters: template(ctx, 'Parameters'),
    result: ctx.raw['Result'],
    resultPath: referencePath(ctx, ctx.raw['ResultPath'], `${ctx.location}/ResultPath`),
    resultPathSource: typeof ctx.raw['ResultPath'] === 'string' ? ctx.raw['ResultPath'] : undefined,
  };
}

function task(ctx: FieldCtx, name: string): TaskState {
  const resource = ctx.raw['Resource'];
  if (typeof resource !== 'string') ctx.diag.schema('These fields are required: [Resource]', ctx.location);
  else if (!resource.startsWith('arn:')) ctx.diag.error('INVALID_RESOURCE', `Value is not a valid resource ARN: ${resource}`, `${ctx.location}/Resource`);
  const timeout = amount(ctx, 'TimeoutSeconds', 1);
  const heartbeat = amount(ctx, 'HeartbeatSeconds', 1);
  if (timeout?.kind === 'value' && heartbeat?.kind === 'value' && heartbeat.value >= timeout.value) {
    ctx.diag.schema("The field 'HeartbeatSeconds' must be smaller than the field 'TimeoutSeconds'", `${ctx.location}/HeartbeatSeconds`);
  }
  return {
    ...base(ctx, name),
    ...resultful(ctx),
    type: 'Task',
    resource: typeof resource === 'string' ? resource : '',
    parameters: template(ctx, ctx.ql === 'JSONPath' ? 'Parameters' : 'Arguments'),
    timeout,
    heartbeat,
  };
}

function rule(ctx: FieldCtx, raw: Json, at: string): ChoiceRule | undefined {
  if (!isObject(raw)) {
    ctx.diag.schema('A choice rule must be an object', at);
    return undefined;
  }
  const next = raw['Next'];
  if (typeof next !== 'string') ctx.diag.schema('These fields are required: [Next]', at);
  const assignT = assign(ctx, raw['Assign'], `${at}/Assign`);
  if (ctx.ql === 'JSONata') {
    const { Condition: cond, Output: out } = raw;
    if (!isExpression(cond) && typeof cond !== 'boolean') ctx.diag.schema("These fields are required: [Condition] (a '{% %}' expression)", at);
    const expr: Template = exprTemplate(ctx.diag, cond ?? false, `${at}/Condition`);
    const output = out === undefined ? undefined : exprTemplate(ctx.diag, out, `${at}/Output`);
    return { rule: { kind: 'condition', expr }, next: typeof next === 'string' ? next : '', output, assign: assignT };
  }
  const { Next: _n, Assign: _a, Comment: _c, ...test } = raw;
  const comparison = compileComparison(test, at, ctx.diag);
  return comparison ? { rule: comparison, next: typeof next === 'string' ? next : '', assign: assignT } : undefined;
}

function choice(ctx: FieldCtx, name: string): ChoiceState {
  const raw = ctx.raw['Choices'];
  const choices: ChoiceRule[] = [];
  if (!Array.isArray(raw) || raw.length === 0) ctx.diag.schema("The field 'Choices' must be a non-empty array", `${ctx.location}/Choices`);
  else raw.forEach((r, i) => {
    const c = rule(ctx, r, `${ctx.location}/Choices[${i}]`);
    if (c) choices.push(c);
  });
  return { ...base(ctx, name), type: 'Choice', choices, default: optionalString(ctx, 'Default') };
}

function waitFor(ctx: FieldCtx): WaitFor | undefined {
  const keys = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((k) => ctx.raw[k] !== undefined);
  if (keys.length !== 1) {
    ctx.diag.schema('Exactly one of [Seconds, Timestamp, SecondsPath, TimestampPath] must be specified', ctx.location);
    return undefined;
  }
  if (keys[0] === 'Seconds' || keys[0] === 'SecondsPath') {
    const a = amount(ctx, 'Seconds', 0);
    return a ? { kind: 'seconds', amount: a } : undefined;
  }
  if (keys[0] === 'TimestampPath') {
    const p = path(ctx, 'TimestampPath');
    return p ? { kind: 'timestampPath', path: p } : undefined;
  }
  const ts = ctx.raw['Timestamp'];
  if (ctx.ql === 'JSONata' && isExpression(ts)) return { kind: 'timestampExpr', expr: exprTemplate(ctx.diag, ts, `${ctx.location}/Timestamp`) };
  if (!isTimestamp(ts)) {
    ctx.diag.schema("The field 'Timestamp' must be an RFC 3339 timestamp, e.g. 2016-03-14T01:59:00Z", `${ctx.location}/Timestamp`);
    return undefined;
  }
  return { kind: 'timestamp', value: ts };
}

function wait(ctx: FieldCtx, name: string): WaitState {
  return { ...base(ctx, name), type: 'Wait', wait: waitFor(ctx) ?? { kind: 'seconds', amount: { kind: 'value', value: 0 } } };
}

/** Fail's Error/Cause: a literal, a path (ErrorPath/CausePath) or a JSONata expression. */
function failField(ctx: FieldCtx, key: 'Error' | 'Cause'): Template | undefined {
  const v = ctx.raw[key];
  const viaPath = ctx.raw[`${key}Path`];
  if (v !== undefined && viaPath !== undefined) ctx.diag.schema(`Only one of '${key}' and '${key}Path' may be specified`, ctx.location);
  if (viaPath !== undefined) {
    if (typeof viaPath !== 'string') return undefined;
    if (viaPath.startsWith('States.')) return template(ctx, `${key}Path`, { [`${key}.$`]: viaPath });
    const p = path(ctx, `${key}Path`);
    return p ? { t: 'path', path: p, field: `${key}Path` } : undefined;
  }
  if (v === undefined) return undefined;
  if (typeof v !== 'string') ctx.diag.schema(`The field '${key}' must be a string`, `${ctx.location}/${key}`);
  if (ctx.ql === 'JSONata' && isExpression(v)) return exprTemplate(ctx.diag, v, `${ctx.location}/${key}`);
  return { t: 'lit', v };
}

function fail(ctx: FieldCtx, name: string): FailState {
  return { name, ql: ctx.ql, location: ctx.location, end: true, type: 'Fail', error: failField(ctx, 'Error'), cause: failField(ctx, 'Cause') };
}

function succeed(ctx: FieldCtx, name: string): SucceedState {
  return { ...base(ctx, name), type: 'Succeed', end: true };
}

function parallel(ctx: FieldCtx, name: string, sub: GraphCompiler): ParallelState {
  const raw = ctx.raw['Branches'];
  const branches: Graph[] = [];
  if (!Array.isArray(raw) || raw.length === 0) ctx.diag.schema("The field 'Branches' must be a non-empty array", `${ctx.location}/Branches`);
  else raw.forEach((b, i) => {
    const g = sub(b, `${ctx.location}/Branches[${i}]`, ctx.ql);
    if (g) branches.push(g);
  });
  return {
    ...base(ctx, name),
    ...resultful(ctx),
    type: 'Parallel',
    branches,
    parameters: template(ctx, ctx.ql === 'JSONPath' ? 'Parameters' : 'Arguments'),
  };
}

function map(ctx: FieldCtx, name: string, sub: GraphCompiler): MapState {
  const { ItemProcessor: proc, Iterator: iter } = ctx.raw;
  if ((proc === undefined) === (iter === undefined)) ctx.diag.schema('Exactly one of [ItemProcessor, Iterator] must be specified', ctx.location);
  if (ctx.raw['Parameters'] !== undefined && ctx.raw['ItemSelector'] !== undefined) {
    ctx.diag.schema("Only one of 'Parameters' and 'ItemSelector' may be specified", ctx.location);
  }
  for (const k of ['ItemReader', 'ResultWriter', 'ItemBatcher']) {
    if (ctx.raw[k] !== undefined) ctx.diag.schema(`The field '${k}' (distributed Map over S3) is not supported by skiff; use an inline Map`, `${ctx.location}/${k}`);
  }
  const key = proc !== undefined ? 'ItemProcessor' : 'Iterator';
  const processor = sub(proc ?? iter ?? null, `${ctx.location}/${key}`, ctx.ql);
  const items = ctx.raw['Items'];
  return {
    ...base(ctx, name),
    ...resultful(ctx),
    type: 'Map',
    processor: processor ?? { id: `${ctx.location}/${key}`, startAt: '', states: new Map() },
    itemsPath: ctx.ql === 'JSONPath' ? path(ctx, 'ItemsPath') ?? undefined : undefined,
    items: items === undefined ? undefined : exprTemplate(ctx.diag, items, `${ctx.location}/Items`),
    itemSelector: template(ctx, ctx.raw['ItemSelector'] !== undefined ? 'ItemSelector' : 'Parameters'),
    maxConcurrency: amount(ctx, 'MaxConcurrency', 0),
    toleratedFailureCount: amount(ctx, 'ToleratedFailureCount', 0),
    toleratedFailurePercentage: percentage(ctx),
  };
}

function percentage(ctx: FieldCtx): Amount | undefined {
  const v = ctx.raw['ToleratedFailurePercentage'];
  if (typeof v !== 'number') return amount(ctx, 'ToleratedFailurePercentage', 0);
  if (ctx.raw['ToleratedFailurePercentagePath'] !== undefined) {
    ctx.diag.schema("Only one of 'ToleratedFailurePercentage' and 'ToleratedFailurePercentagePath' may be specified", ctx.location);
  }
  if (v < 0 || v > 100) ctx.diag.schema("The field 'ToleratedFailurePercentage' must be between 0 and 100", `${ctx.location}/ToleratedFailurePercentage`);
  return { kind: 'value', value: v };
}

/** Compiles one state; undefined when its Type is missing or unknown. */
export function compileState(ctx: FieldCtx, name: string, sub: GraphCompiler): StateNode | undefined {
  const type = ctx.raw['Type'];
  if (typeof type !== 'string') {
    ctx.diag.schema('These fields are required: [Type]', ctx.location);
    return undefined;
  }
  if (!TYPES.includes(type as StateType)) {
    ctx.diag.schema(`The value '${type}' of the field 'Type' is not valid: use one of ${TYPES.join(', ')}`, `${ctx.location}/Type`);
    return undefined;
  }
  const t = type as StateType;
  checkFields(ctx, t);
  flow(ctx, t);
  switch (t) {
    case 'Pass': return pass(ctx, name);
    case 'Task': return task(ctx, name);
    case 'Choice': return choice(ctx, name);
    case 'Wait': return wait(ctx, name);
    case 'Succeed': return succeed(ctx, name);
    case 'Fail': return fail(ctx, name);
    case 'Parallel': return parallel(ctx, name, sub);
    case 'Map': return map(ctx, name, sub);
  }
}

