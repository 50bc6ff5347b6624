import { createHash } from 'node:crypto';
import { runtimeFailure } from './errors.js';
import type { IntrinsicArg, IntrinsicCall } from './intrinsics-parse.js';
import { deepEqual, isObject, stringify, typeName, type Json } from './json.js';
import { selectPath, type PathScope } from './jsonpath.js';
import { randomInt, randomUuid, seededRandom, type Random } from './random.js';

/** What an intrinsic call reads: the paths' scope and the state's seeded randomness. */
export interface IntrinsicScope extends PathScope {
  random: () => Random;
}

type Fn = (args: Json[], call: IntrinsicCall, scope: IntrinsicScope) => Json;

class ArgError extends Error {}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function count(args: Json[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new ArgError(`expected ${want} argument${max === 1 ? '' : 's'}, got ${args.length}`);
  }
}

function want<T extends Json>(v: Json | undefined, type: 'string' | 'number' | 'boolean' | 'array' | 'object', pos: number): T {
  const ok = type === 'array' ? Array.isArray(v) : type === 'object' ? isObject(v) : typeof v === type;
  if (!ok) throw new ArgError(`argument ${pos} must be ${type === 'array' || type === 'object' ? 'an' : 'a'} ${type}, got ${typeName(v)}`);
  return v as T;
}

function integer(v: Json | undefined, pos: number): number {
  const n = want<number>(v, 'number', pos);
  if (!Number.isInteger(n)) throw new ArgError(`argument ${pos} must be an integer, got ${n}`);
  return n;
}

function format(args: Json[], call: IntrinsicCall): Json {
  if (args.length < 1) throw new ArgError('expected a format string');
  const first = call.args[0];
  const template = first?.kind === 'literal' && first.raw !== undefined ? first.raw : want<string>(args[0], 'string', 1);
  const values = args.slice(1);
  let out = '';
  let used = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && (template[i + 1] === '{' || template[i + 1] === '}' || template[i + 1] === '\\')) {
      out += template[++i];
    } else if (c === '{' && template[i + 1] === '}') {
      if (used >= values.length) throw new ArgError('the format string has more {} placeholders than arguments');
      const v = values[used++] as Json;
      out += typeof v === 'string' ? v : stringify(v);
      i++;
    } else out += c;
  }
  if (used !== values.length) throw new ArgError(`the format string has ${used} placeholders but ${values.length} arguments were given`);
  return out;
}

function arrayRange(args: Json[]): Json {
  count(args, 3);
  const [start, end, step] = [integer(args[0], 1), integer(args[1], 2), integer(args[2], 3)];
  if (step === 0) throw new ArgError('the step must not be 0');
  const out: number[] = [];
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
    out.push(v);
    if (out.length > 1000) throw new ArgError('the range has more than 1000 items');
  }
  return out;
}

function arrayUnique(arr: Json[]): Json {
  const out: Json[] = [];
  for (const v of arr) if (!out.some((u) => deepEqual(u, v))) out.push(v);
  return out;
}

function stringSplit(args: Json[]): Json {
  count(args, 2);
  const s = want<string>(args[0], 'string', 1);
  const delimiters = new Set(want<string>(args[1], 'string', 2));
  const out: string[] = [];
  let cur = '';
  for (const c of s) {
    if (delimiters.has(c)) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

function mathRandom(args: Json[], _call: IntrinsicCall, scope: IntrinsicScope): Json {
  count(args, 2, 3);
  const [start, end] = [integer(args[0], 1), integer(args[1], 2)];
  if (end <= start) throw new ArgError('the end must be greater than the start');
  const rng = args.length === 3 ? seededRandom(`seed:${integer(args[2], 3)}`) : scope.random();
  return randomInt(rng, start, end);
}

function checkLength(s: string, what: string): string {
  if (s.length > 10_000) throw new ArgError(`the ${what} is longer than 10,000 characters`);
  return s;
}

const FUNCTIONS: Record<string, Fn> = {
  'States.Format': format,
  'States.StringToJson': (a) => {
    count(a, 1);
    try {
      return JSON.parse(want<string>(a[0], 'string', 1)) as Json;
    } catch (err) {
      throw new ArgError(`the string is not JSON: ${(err as Error).message}`);
    }
  },
  'States.JsonToString': (a) => (count(a, 1), JSON.stringify(a[0])),
  'States.Array': (a) => a,
  'States.ArrayPartition': (a) => {
    count(a, 2);
    const arr = want<Json[]>(a[0], 'array', 1);
    const size = integer(a[1], 2);
    if (size <= 0) throw new ArgError('the chunk size must be a positive integer');
    const out: Json[] = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  },
  'States.ArrayContains': (a) => (count(a, 2), want<Json[]>(a[0], 'array', 1).some((v) => deepEqual(v, a[1] as Json))),
  'States.ArrayRange': arrayRange,
  'States.ArrayGetItem': (a) => {
    count(a, 2);
    const arr = want<Json[]>(a[0], 'array', 1);
    const i = integer(a[1], 2);
    if (i < 0 || i >= arr.length) throw new ArgError(`the index ${i} is out of bounds for an array of ${arr.length}`);
    return arr[i] as Json;
  },
  'States.ArrayLength': (a) => (count(a, 1), want<Json[]>(a[0], 'array', 1).length),
  'States.ArrayUnique': (a) => (count(a, 1), arrayUnique(want<Json[]>(a[0], 'array', 1))),
  'States.Base64Encode': (a) => (count(a, 1), Buffer.from(checkLength(want<string>(a[0], 'string', 1), 'input'), 'utf8').toString('base64')),
  'States.Base64Decode': (a) => (count(a, 1), Buffer.from(checkLength(want<string>(a[0], 'string', 1), 'input'), 'base64').toString('utf8')),
  'States.Hash': (a) => {
    count(a, 2);
    const data = checkLength(want<string>(a[0], 'string', 1), 'input');
    const algorithm = HASHES[want<string>(a[1], 'string', 2)];
    if (!algorithm) throw new ArgError(`the algorithm must be one of ${Object.keys(HASHES).join(', ')}`);
    return createHash(algorithm).update(data, 'utf8').digest('hex');
  },
  'States.JsonMerge': (a) => {
    count(a, 3);
    if (want<boolean>(a[2], 'boolean', 3)) throw new ArgError('deep merge is not supported: the third argument must be false');
    return { ...want<Record<string, Json>>(a[0], 'object', 1), ...want<Record<string, Json>>(a[1], 'object', 2) };
  },
  'States.MathRandom': mathRandom,
  'States.MathAdd': (a) => (count(a, 2), integer(a[0], 1) + integer(a[1], 2)),
  'States.StringSplit': stringSplit,
  'States.UUID': (a, _c, scope) => (count(a, 0), randomUuid(scope.random())),
};

function evalArg(arg: IntrinsicArg, scope: IntrinsicScope, call: IntrinsicCall): Json {
  if (arg.kind === 'literal') return arg.value;
  if (arg.kind === 'call') return evaluateIntrinsic(arg.call, scope);
  const v = selectPath(arg.path, scope);
  if (v === undefined) {
    throw runtimeFailure(`The JSONPath '${arg.path.source}' specified in the function '${call.source}' could not be found in the input '${stringify(scope.input)}'`);
  }
  return v;
}

/** Evaluates a call; a bad argument fails the state with States.Runtime, as AWS reports it. */
export function evaluateIntrinsic(call: IntrinsicCall, scope: IntrinsicScope): Json {
  const args = call.args.map((a) => evalArg(a, scope, call));
  const fn = FUNCTIONS[call.name];
  if (!fn) throw runtimeFailure(`Unknown intrinsic function ${call.name}`);
  try {
    return fn(args, call, scope);
  } catch (err) {
    if (err instanceof ArgError) throw runtimeFailure(`The function '${call.source}' had the following error: ${err.message}`);
    throw err;
  }
}
