import { createHash } from 'node:crypto';
import jsonata from 'jsonata';
import { StatesErrors, StatesFailure } from './errors.js';
import { isObject, type Json, type JsonObject } from './json.js';
import { randomUuid, seededRandom, type Random } from './random.js';
import type { Template } from './types.js';

/**
 * The JSONata query language: `{% %}` expressions evaluated by the `jsonata` package
 * with `$states` bound and AWS's extra functions ($partition, $range, $hash, $random,
 * $uuid, $parse). `$now()`/`$millis()` read the activation's time and `$random`/`$uuid`
 * the state's seeded randomness, so a replay evaluates to the same values.
 */
export interface ExprScope {
  states: JsonObject;
  variables: (name: string) => Json | undefined;
  variableNames: () => Iterable<string>;
  nowMs: number;
  random: () => Random;
}

const compiled = new Map<string, jsonata.Expression>();

function compile(source: string): jsonata.Expression {
  let e = compiled.get(source);
  if (!e) {
    e = jsonata(source);
    compiled.set(source, e);
  }
  return e;
}

/** Checks an expression compiles; the message for a validation diagnostic, else undefined. */
export function checkExpression(source: string): string | undefined {
  try {
    compile(source);
    return undefined;
  } catch (err) {
    return `The JSONata expression '${source}' is not valid: ${(err as Error).message}`;
  }
}

function queryError(source: string, message: string): StatesFailure {
  return new StatesFailure(StatesErrors.QueryEvaluationError, `An error occurred while evaluating the JSONata expression '${source}': ${message}`);
}

function hash(data: unknown, algorithm: unknown): string {
  const algorithms: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
  const a = typeof algorithm === 'string' ? algorithms[algorithm] : undefined;
  if (!a) throw new Error(`$hash: the algorithm must be one of ${Object.keys(algorithms).join(', ')}`);
  return createHash(a).update(typeof data === 'string' ? data : JSON.stringify(data)).digest('hex');
}

function range(start: number, end: number, step = 1): number[] {
  if (step === 0) throw new Error('$range: the step must not be 0');
  const out: number[] = [];
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
    out.push(v);
    if (out.length > 1000) throw new Error('$range: more than 1000 items');
  }
  return out;
}

function bindings(scope: ExprScope): Record<string, unknown> {
  const b: Record<string, unknown> = {};
  for (const name of scope.variableNames()) b[name] = scope.variables(name);
  Object.assign(b, {
    states: scope.states,
    now: () => new Date(scope.nowMs).toISOString(),
    millis: () => scope.nowMs,
    partition: (arr: unknown[], size: number) => {
      if (!Array.isArray(arr) || !Number.isInteger(size) || size <= 0) throw new Error('$partition: expected an array and a positive chunk size');
      const out: unknown[][] = [];
      for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
      return out;
    },
    range,
    hash,
    random: (seed?: number) => (seed === undefined ? scope.random() : seededRandom(`seed:${seed}`)).next(),
    uuid: () => randomUuid(scope.random()),
    parse: (text: string) => JSON.parse(text) as unknown,
  });
  return b;
}

/** Plain JSON from a JSONata result (sequences become arrays; functions are dropped). */
function toJson(v: unknown): Json | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'function') return undefined;
  if (typeof v !== 'object' || v === null) return typeof v === 'number' && !Number.isFinite(v) ? null : (v as Json);
  return JSON.parse(JSON.stringify(v)) as Json;
}

/** Evaluates one expression; undefined when it selects nothing. */
export async function evaluateExpression(source: string, scope: ExprScope): Promise<Json | undefined> {
  let result: unknown;
  try {
    result = await compile(source).evaluate({}, bindings(scope));
  } catch (err) {
    throw queryError(source, (err as Error).message);
  }
  return toJson(result);
}

/** Evaluates a JSONata template: object members that select nothing are left out. */
export async function evalExprTemplate(node: Template, scope: ExprScope): Promise<Json | undefined> {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'expr':
      return evaluateExpression(node.expr.source, scope);
    case 'arr': {
      const out: Json[] = [];
      for (const item of node.items) out.push((await evalExprTemplate(item, scope)) ?? null);
      return out;
    }
    case 'obj': {
      const out: JsonObject = {};
      for (const e of node.entries) {
        const v = await evalExprTemplate(e.node, scope);
        if (v !== undefined) out[e.key] = v;
      }
      return out;
    }
    default:
      throw new Error(`a JSONPath template node in a JSONata template: ${node.t}`);
  }
}

/** A template's value that must exist, e.g. a state's Output or a Map's Items. */
export async function requireExprValue(node: Template, scope: ExprScope, what: string): Promise<Json> {
  const v = await evalExprTemplate(node, scope);
  if (v === undefined) {
    const source = node.t === 'expr' ? node.expr.source : JSON.stringify(node);
    throw queryError(source, `the ${what} evaluated to nothing (undefined)`);
  }
  return v;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return isObject(v);
}
