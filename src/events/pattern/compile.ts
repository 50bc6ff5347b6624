import { BlockList, isIP } from 'node:net';

/**
 * Event patterns compiled once (at PutRule / TestEventPattern) into a tree the matcher
 * walks. The language is EventBridge's: fields AND together, the values of a field's
 * array OR together, `$or` ORs whole sub-patterns, and each value is either a JSON
 * literal (exact match) or a one-key object naming a filter.
 */
export type Scalar = string | number | boolean | null;

export type Leaf =
  | { kind: 'exact'; value: Scalar }
  | { kind: 'prefix'; value: string; ignoreCase: boolean }
  | { kind: 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; regex: RegExp }
  | { kind: 'numeric'; test: (n: number) => boolean }
  | { kind: 'cidr'; list: BlockList }
  | { kind: 'exists'; value: boolean }
  | { kind: 'anything-but'; inner: Leaf[] };

export interface PatternNode {
  /** Sub-patterns by field name. */
  readonly fields: ReadonlyMap<string, PatternNode | readonly Leaf[]>;
  /** Each entry is one `$or`: at least one of its alternatives must match. */
  readonly ors: readonly (readonly PatternNode[])[];
}

export class PatternError extends Error {
  override name = 'PatternError';
}

const FILTER_KEYS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'numeric', 'cidr', 'exists', 'anything-but']);

/** Parses the pattern text (as sent in EventPattern) and compiles it. */
export function compilePattern(text: string): PatternNode {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new PatternError(`Filter is not valid JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new PatternError('Filter is not an object');
  return compileNode(parsed, '');
}

function compileNode(obj: Record<string, unknown>, path: string): PatternNode {
  const keys = Object.keys(obj);
  if (keys.length === 0) throw new PatternError(`Empty objects are not allowed${path ? ` at "${path}"` : ''}`);
  const fields = new Map<string, PatternNode | readonly Leaf[]>();
  const ors: PatternNode[][] = [];
  for (const key of keys) {
    const value = obj[key];
    const at = path ? `${path}.${key}` : key;
    if (key === '$or' && isOrList(value)) {
      ors.push(value.map((alt) => compileNode(alt, at)));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new PatternError(`Empty arrays are not allowed at "${at}"`);
      fields.set(key, value.map((v) => compileValue(v, at)));
    } else if (isPlainObject(value)) {
      fields.set(key, compileNode(value, at));
    } else {
      throw new PatternError(`"${at}" must be an object or an array`);
    }
  }
  return { fields, ors };
}

/** `$or` means OR only as an array of two or more plain sub-patterns (else it is a field name). */
function isOrList(value: unknown): value is Record<string, unknown>[] {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every((v) => isPlainObject(v) && !Object.keys(v).some((k) => FILTER_KEYS.has(k)))
  );
}

function compileValue(v: unknown, at: string): Leaf {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return { kind: 'exact', value: v };
  if (typeof v === 'number') return { kind: 'exact', value: checkNumber(v, at) };
  if (Array.isArray(v)) throw new PatternError(`Arrays inside the value array of "${at}" are not allowed`);
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length !== 1) throw new PatternError(`A filter object at "${at}" must have exactly one key, got ${keys.length}`);
  const key = keys[0] as string;
  return compileFilter(key, obj[key], at);
}

function compileFilter(key: string, arg: unknown, at: string): Leaf {
  switch (key) {
    case 'prefix':
    case 'suffix':
      return affix(key, arg, at);
    case 'equals-ignore-case':
      return { kind: 'equals-ignore-case', value: requireString(arg, key, at).toLowerCase() };
    case 'wildcard':
      return { kind: 'wildcard', regex: wildcardRegex(requireString(arg, key, at), at) };
    case 'numeric':
      return { kind: 'numeric', test: numericTest(arg, at) };
    case 'cidr':
      return { kind: 'cidr', list: cidrList(requireString(arg, key, at), at) };
    case 'exists':
      if (typeof arg !== 'boolean') throw new PatternError(`exists match pattern must be either true or false at "${at}"`);
      return { kind: 'exists', value: arg };
    case 'anything-but':
      return { kind: 'anything-but', inner: anythingBut(arg, at) };
    default:
      throw new PatternError(`Unrecognized match type ${key} at "${at}"`);
  }
}

function affix(key: 'prefix' | 'suffix', arg: unknown, at: string): Leaf {
  if (isPlainObject(arg)) {
    const keys = Object.keys(arg);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      throw new PatternError(`Unsupported ${key} pattern at "${at}": only {"equals-ignore-case": "..."} may be nested`);
    }
    return { kind: key, value: requireString(arg['equals-ignore-case'], 'equals-ignore-case', at).toLowerCase(), ignoreCase: true };
  }
  return { kind: key, value: requireString(arg, key, at), ignoreCase: false };
}

function anythingBut(arg: unknown, at: string): Leaf[] {
  if (typeof arg === 'string') return [{ kind: 'exact', value: arg }];
  if (typeof arg === 'number') return [{ kind: 'exact', value: checkNumber(arg, at) }];
  if (Array.isArray(arg)) {
    if (arg.length === 0) throw new PatternError(`Empty arrays are not allowed in anything-but at "${at}"`);
    const allStrings = arg.every((x) => typeof x === 'string');
    const allNumbers = arg.every((x) => typeof x === 'number');
    if (!allStrings && !allNumbers) throw new PatternError(`Inside anything-but list, all values must be strings or all numbers at "${at}"`);
    return arg.map((x: string | number) => ({ kind: 'exact', value: typeof x === 'number' ? checkNumber(x, at) : x }));
  }
  if (isPlainObject(arg)) {
    const keys = Object.keys(arg);
    const key = keys[0];
    if (keys.length !== 1 || !key || !['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(key)) {
      throw new PatternError(`Unsupported anything-but pattern at "${at}": use a value, a list, or one of prefix, suffix, equals-ignore-case, wildcard`);
    }
    const inner = arg[key];
    const values = Array.isArray(inner) && (key === 'equals-ignore-case' || key === 'wildcard') ? inner : [inner];
    return values.map((x) => compileFilter(key, x, at));
  }
  throw new PatternError(`Value of anything-but must be an array, a string, a number or an object at "${at}"`);
}

function requireString(v: unknown, key: string, at: string): string {
  if (typeof v !== 'string') throw new PatternError(`${key} match pattern must be a string at "${at}"`);
  return v;
}

/** EventBridge's numeric range: ±5.0e9 with up to six decimals. */
function checkNumber(n: number, at: string): number {
  if (!Number.isFinite(n) || Math.abs(n) > 5e9) throw new PatternError(`Value must be between -5.0E9 and 5.0E9 inclusive at "${at}"`);
  return n;
}

const LOWER = ['>', '>='];
const UPPER = ['<', '<='];

/** `["=", 5]`, `[">", 0]`, `[">", 0, "<=", 5]` … : a lower bound comes before an upper one. */
function numericTest(arg: unknown, at: string): (n: number) => boolean {
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) {
    throw new PatternError(`Value of numeric must be an array of one or two operator, number pairs at "${at}"`);
  }
  const tests: ((n: number) => boolean)[] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i] as unknown;
    const bound = arg[i + 1] as unknown;
    if (typeof bound !== 'number') throw new PatternError(`Value of ${String(op)} must be a number at "${at}"`);
    const b = checkNumber(bound, at);
    tests.push(comparison(op, b, i, arg.length, at));
  }
  return (n) => tests.every((t) => t(n));
}

function comparison(op: unknown, b: number, i: number, length: number, at: string): (n: number) => boolean {
  if (op === '=' && length === 2) return (n) => n === b;
  if (i === 0 && LOWER.includes(op as string)) return op === '>' ? (n) => n > b : (n) => n >= b;
  if ((length === 2 || i === 2) && UPPER.includes(op as string)) return op === '<' ? (n) => n < b : (n) => n <= b;
  throw new PatternError(`Bad numeric range operator ${JSON.stringify(op)} at "${at}"`);
}

function cidrList(text: string, at: string): BlockList {
  const [address, bits] = text.split('/');
  const family = isIP(address ?? '');
  const prefix = Number(bits);
  const max = family === 6 ? 128 : 32;
  if (!family || bits === undefined || !/^\d+$/.test(bits) || prefix > max) {
    throw new PatternError(`Nonstandard IP address: ${text} at "${at}"`);
  }
  const list = new BlockList();
  list.addSubnet(address as string, prefix, family === 6 ? 'ipv6' : 'ipv4');
  return list;
}

/** `*` is any run of characters; `\*` and `\\` are a literal star and backslash. */
function wildcardRegex(text: string, at: string): RegExp {
  let out = '';
  let lastStar = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') throw new PatternError(`Invalid escape character at pos ${i} in wildcard at "${at}"`);
      out += escapeRegex(next);
      i++;
      lastStar = false;
    } else if (c === '*') {
      if (lastStar) throw new PatternError(`Consecutive wildcard characters at pos ${i} in wildcard at "${at}"`);
      out += '.*';
      lastStar = true;
    } else {
      out += escapeRegex(c);
      lastStar = false;
    }
  }
  return new RegExp(`^${out}$`, 's');
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
