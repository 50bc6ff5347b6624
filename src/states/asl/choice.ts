import type { Diagnostics } from './diagnostics.js';
import { runtimeFailure } from './errors.js';
import { isObject, type Json } from './json.js';
import { compilePath, selectPath, type CompiledPath, type PathScope } from './jsonpath.js';
import type { Comparison } from './types.js';

type Kind = 'string' | 'numeric' | 'boolean' | 'timestamp';
type Rel = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

const RELS: readonly Rel[] = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];
const KINDS: Record<string, Kind> = { String: 'string', Numeric: 'numeric', Boolean: 'boolean', Timestamp: 'timestamp' };
const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;

/** Every data-test operator name, e.g. NumericLessThanEqualsPath. */
export const OPERATORS: ReadonlySet<string> = new Set([
  ...Object.keys(KINDS).flatMap((k) => (k === 'Boolean' ? ['BooleanEquals', 'BooleanEqualsPath'] : RELS.flatMap((r) => [`${k}${r}`, `${k}${r}Path`]))),
  'StringMatches',
  ...TYPE_TESTS,
]);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v));
}

/** StringMatches: `*` matches any run of characters; `\*` and `\\` are literal. */
export function wildcardPattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) re += `\\${pattern[++i]}`;
    else if (c === '*') re += '[\\s\\S]*';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function checkOperand(op: string, value: unknown, location: string, diag: Diagnostics): void {
  const fail = (what: string): void => diag.schema(`The value of '${op}' must be ${what}`, `${location}/${op}`);
  if (op.endsWith('Path')) {
    if (typeof value !== 'string' || !value.startsWith('$')) fail('a JSONPath');
  } else if ((TYPE_TESTS as readonly string[]).includes(op)) {
    if (typeof value !== 'boolean') fail('a boolean');
  } else if (op.startsWith('String')) {
    if (typeof value !== 'string') fail('a string');
  } else if (op.startsWith('Numeric')) {
    if (typeof value !== 'number') fail('a number');
  } else if (op.startsWith('Boolean')) {
    if (typeof value !== 'boolean') fail('a boolean');
  } else if (op.startsWith('Timestamp') && !isTimestamp(value)) fail('an RFC 3339 timestamp');
}

function compileTest(raw: Record<string, Json>, location: string, diag: Diagnostics): Comparison | undefined {
  const ops = Object.keys(raw).filter((k) => OPERATORS.has(k));
  if (ops.length !== 1) {
    diag.schema(ops.length === 0 ? 'A choice rule must have exactly one comparison operator' : `A choice rule has more than one comparison operator: ${ops.join(', ')}`, location);
    return undefined;
  }
  const op = ops[0] as string;
  const variable = tryPath(raw['Variable'], `${location}/Variable`, diag);
  checkOperand(op, raw[op], location, diag);
  if (!variable) return undefined;
  const value = raw[op] as Json;
  let valuePath: CompiledPath | undefined;
  if (op.endsWith('Path') && typeof value === 'string') valuePath = tryPath(value, `${location}/${op}`, diag);
  const pattern = op === 'StringMatches' && typeof value === 'string' ? wildcardPattern(value) : undefined;
  return { kind: 'test', variable, op, value, valuePath, pattern };
}

function tryPath(v: unknown, location: string, diag: Diagnostics): CompiledPath | undefined {
  if (typeof v !== 'string') {
    diag.schema('These fields are required: [Variable]', location.replace(/\/Variable$/, ''));
    return undefined;
  }
  try {
    return compilePath(v);
  } catch (err) {
    diag.schema((err as Error).message, location);
    return undefined;
  }
}

/** Compiles a (JSONPath) choice rule: And/Or/Not or one data test. */
export function compileComparison(raw: Json, location: string, diag: Diagnostics): Comparison | undefined {
  if (!isObject(raw)) {
    diag.schema('A choice rule must be an object', location);
    return undefined;
  }
  for (const key of ['And', 'Or'] as const) {
    if (raw[key] === undefined) continue;
    const list = raw[key];
    if (!Array.isArray(list) || list.length === 0) {
      diag.schema(`The field '${key}' must be a non-empty array of choice rules`, `${location}/${key}`);
      return undefined;
    }
    const rules = list.map((r, i) => compileComparison(r, `${location}/${key}[${i}]`, diag));
    return rules.every((r) => r) ? { kind: key === 'And' ? 'and' : 'or', rules: rules as Comparison[] } : undefined;
  }
  if (raw['Not'] !== undefined) {
    const rule = compileComparison(raw['Not'], `${location}/Not`, diag);
    return rule ? { kind: 'not', rule } : undefined;
  }
  return compileTest(raw, location, diag);
}

function compare(kind: Kind, a: Json, b: Json): number | undefined {
  if (kind === 'numeric') return typeof a === 'number' && typeof b === 'number' ? a - b : undefined;
  if (kind === 'string') return typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : undefined;
  if (kind === 'boolean') return typeof a === 'boolean' && typeof b === 'boolean' ? (a === b ? 0 : 1) : undefined;
  return isTimestamp(a) && isTimestamp(b) ? Date.parse(a) - Date.parse(b) : undefined;
}

function holds(rel: string, d: number): boolean {
  switch (rel) {
    case 'Equals':
      return d === 0;
    case 'LessThan':
      return d < 0;
    case 'GreaterThan':
      return d > 0;
    case 'LessThanEquals':
      return d <= 0;
    default:
      return d >= 0;
  }
}

function typeTest(op: string, v: Json | undefined): boolean {
  switch (op) {
    case 'IsPresent':
      return v !== undefined;
    case 'IsNull':
      return v === null;
    case 'IsNumeric':
      return typeof v === 'number';
    case 'IsString':
      return typeof v === 'string';
    case 'IsBoolean':
      return typeof v === 'boolean';
    default:
      return isTimestamp(v);
  }
}

function invalidPath(path: CompiledPath): never {
  throw runtimeFailure(`Invalid path '${path.source}': The choice state's condition path references an invalid value.`);
}

function evalTest(c: Extract<Comparison, { kind: 'test' }>, scope: PathScope): boolean {
  const v = selectPath(c.variable, scope);
  if (c.op === 'IsPresent') return typeTest(c.op, v) === c.value;
  if (v === undefined) invalidPath(c.variable);
  if (c.op.startsWith('Is')) return typeTest(c.op, v) === c.value;
  if (c.pattern) return typeof v === 'string' && c.pattern.test(v);
  let operand = c.value;
  if (c.valuePath) {
    const w = selectPath(c.valuePath, scope);
    if (w === undefined) invalidPath(c.valuePath);
    operand = w;
  }
  const m = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThanEquals|GreaterThanEquals|LessThan|GreaterThan)/.exec(c.op);
  const kind = KINDS[m?.[1] ?? ''] ?? 'string';
  const d = compare(kind, v, operand);
  return d !== undefined && holds(m?.[2] ?? 'Equals', d);
}

/** Evaluates a JSONPath choice rule against the state's effective input. */
export function evalComparison(c: Comparison, scope: PathScope): boolean {
  switch (c.kind) {
    case 'and':
      return c.rules.every((r) => evalComparison(r, scope));
    case 'or':
      return c.rules.some((r) => evalComparison(r, scope));
    case 'not':
      return !evalComparison(c.rule, scope);
    case 'test':
      return evalTest(c, scope);
    case 'condition':
      throw new Error('a JSONata condition evaluated as JSONPath');
  }
}
