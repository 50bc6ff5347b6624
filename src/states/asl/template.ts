import type { Diagnostics } from './diagnostics.js';
import { runtimeFailure } from './errors.js';
import { evaluateIntrinsic, type IntrinsicScope } from './intrinsics.js';
import { looksLikeIntrinsic, parseIntrinsic } from './intrinsics-parse.js';
import { isObject, stringify, type Json, type JsonObject } from './json.js';
import { compilePath, selectPath } from './jsonpath.js';
import type { Template } from './types.js';

const EXPRESSION = /^\{%([\s\S]*)%\}$/;

/** Whether a string is a whole `{% ... %}` JSONata expression. */
export function isExpression(v: unknown): v is string {
  return typeof v === 'string' && EXPRESSION.test(v);
}

export function expressionSource(v: string): string {
  return (EXPRESSION.exec(v)?.[1] ?? '').trim();
}

function collapse(node: Template, original: Json): Template {
  return node.t === 'lit' ? node : isAllLiteral(node) ? { t: 'lit', v: original } : node;
}

function isAllLiteral(node: Template): boolean {
  if (node.t === 'lit') return true;
  if (node.t === 'obj') return node.entries.every((e) => isAllLiteral(e.node));
  if (node.t === 'arr') return node.items.every(isAllLiteral);
  return false;
}

/** A JSONPath payload template: keys ending in `.$` take a path or an intrinsic call. */
export function compilePathTemplate(value: Json, location: string, diag: Diagnostics): Template {
  if (Array.isArray(value)) {
    return collapse({ t: 'arr', items: value.map((v, i) => compilePathTemplate(v, `${location}[${i}]`, diag)) }, value);
  }
  if (!isObject(value)) return { t: 'lit', v: value };
  const entries: { key: string; node: Template }[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (!key.endsWith('.$')) {
      entries.push({ key, node: compilePathTemplate(v, `${location}/${key}`, diag) });
      continue;
    }
    const field = key.slice(0, -2);
    const node = compileDynamic(v, field, key, location, diag);
    if (node) entries.push({ key: field, node });
  }
  return collapse({ t: 'obj', entries }, value);
}

function compileDynamic(v: Json, field: string, key: string, location: string, diag: Diagnostics): Template | undefined {
  const bad = (): undefined => {
    diag.schema(`The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`, location);
    return undefined;
  };
  if (typeof v !== 'string') return bad();
  try {
    if (v.startsWith('$')) return { t: 'path', path: compilePath(v), field };
    if (looksLikeIntrinsic(v)) return { t: 'fn', call: parseIntrinsic(v), field };
  } catch {
    return bad();
  }
  return bad();
}

/** A JSONata template: every string that is a whole `{% %}` is an expression. */
export function compileExprTemplate(value: Json, location: string, diag: Diagnostics, check: (source: string, location: string) => void): Template {
  if (typeof value === 'string' && isExpression(value)) {
    const source = expressionSource(value);
    check(source, location);
    return { t: 'expr', expr: { source } };
  }
  if (Array.isArray(value)) {
    return collapse({ t: 'arr', items: value.map((v, i) => compileExprTemplate(v, `${location}[${i}]`, diag, check)) }, value);
  }
  if (!isObject(value)) return { t: 'lit', v: value };
  const entries = Object.entries(value).map(([key, v]) => ({ key, node: compileExprTemplate(v, `${location}/${key}`, diag, check) }));
  return collapse({ t: 'obj', entries }, value);
}

/** Evaluates a JSONPath template; a path selecting nothing fails the state with States.Runtime. */
export function evalPathTemplate(node: Template, scope: IntrinsicScope): Json {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'arr':
      return node.items.map((n) => evalPathTemplate(n, scope));
    case 'obj': {
      const out: JsonObject = {};
      for (const e of node.entries) out[e.key] = evalPathTemplate(e.node, scope);
      return out;
    }
    case 'path': {
      const v = selectPath(node.path, scope);
      if (v === undefined) {
        throw runtimeFailure(
          `The JSONPath '${node.path.source}' specified for the field '${node.field}.$' could not be found in the input '${stringify(scope.input)}'`,
        );
      }
      return v;
    }
    case 'fn':
      return evaluateIntrinsic(node.call, scope);
    case 'expr':
      throw new Error('a JSONata expression in a JSONPath template');
  }
}
