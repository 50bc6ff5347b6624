import { JSONPath } from 'jsonpath-plus';
import { StatesErrors, StatesFailure } from './errors.js';
import { isObject, stringify, type Json, type JsonObject } from './json.js';

/** Where a path starts: the state's input (`$`), the context object (`$$`) or a variable (`$name`). */
export type PathRoot = 'input' | 'context' | 'variable';

/**
 * A JSONPath compiled once when the definition is parsed. Definite paths (names and
 * indexes only) are walked directly; the rest (wildcards, filters, slices, `..`) go to
 * jsonpath-plus and always select an array, as AWS answers for indefinite paths.
 */
export interface CompiledPath {
  readonly source: string;
  readonly root: PathRoot;
  readonly variable?: string | undefined;
  /** Set for definite paths. */
  readonly segments?: readonly (string | number)[] | undefined;
  /** Set for indefinite paths: the expression rooted at `$`. */
  readonly query?: string | undefined;
}

export class PathSyntaxError extends Error {}

const VARIABLE = /^\$([A-Za-z_][A-Za-z0-9_]*)/;

/** Compiles `$`, `$.a.b[0]`, `$['x y']`, `$$.Execution.Id`, `$var.x`, `$.a[*].b`, `$..c`. */
export function compilePath(source: string): CompiledPath {
  if (!source.startsWith('$')) throw new PathSyntaxError(`'${source}' is not a JSONPath: it must start with '$'`);
  let root: PathRoot = 'input';
  let variable: string | undefined;
  let rest = source.slice(1);
  if (source.startsWith('$$')) {
    root = 'context';
    rest = source.slice(2);
  } else {
    const m = VARIABLE.exec(source);
    if (m?.[1]) {
      root = 'variable';
      variable = m[1];
      rest = source.slice(m[0].length);
    }
  }
  const segments = definiteSegments(rest);
  if (segments) return { source, root, variable, segments };
  checkBalanced(source, rest);
  return { source, root, variable, query: `$${rest}` };
}

/** Names and non-negative indexes only; undefined when the path needs a query engine. */
function definiteSegments(rest: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < rest.length) {
    const c = rest[i];
    if (c === '.') {
      if (rest[i + 1] === '.' || rest[i + 1] === undefined) return undefined;
      let j = i + 1;
      while (j < rest.length && rest[j] !== '.' && rest[j] !== '[') j++;
      const name = rest.slice(i + 1, j);
      if (name === '*' || name.includes('(')) return undefined;
      out.push(name);
      i = j;
    } else if (c === '[') {
      const close = rest.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = rest.slice(i + 1, close);
      const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(inner);
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (quoted) out.push(quoted[1] ?? quoted[2] ?? '');
      else return undefined;
      i = close + 1;
    } else {
      return undefined;
    }
  }
  return out;
}

function checkBalanced(source: string, rest: string): void {
  let depth = 0;
  for (const c of rest) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (depth < 0) break;
  }
  if (depth !== 0 || /^[^.[]/.test(rest)) throw new PathSyntaxError(`'${source}' is not a valid JSONPath`);
}

/** What a path reads from. `context` is built lazily: most states never look at it. */
export interface PathScope {
  input: Json;
  context: () => Json;
  variable: (name: string) => Json | undefined;
}

/** The value a path selects, or undefined when a definite path selects nothing. */
export function selectPath(path: CompiledPath, scope: PathScope): Json | undefined {
  let base: Json | undefined;
  if (path.root === 'input') base = scope.input;
  else if (path.root === 'context') base = scope.context();
  else base = scope.variable(path.variable ?? '');
  if (base === undefined) return undefined;
  if (path.segments) return walk(base, path.segments);
  return JSONPath({ path: path.query ?? '$', json: base as object, wrap: true, eval: 'safe' }) as Json[];
}

function walk(base: Json, segments: readonly (string | number)[]): Json | undefined {
  let cur: Json | undefined = base;
  for (const seg of segments) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return undefined;
      cur = cur[seg];
    } else {
      if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
      cur = cur[seg];
    }
  }
  return cur;
}

/** A ResultPath: `$` or a definite path into the input, compiled once. */
export function compileReferencePath(source: string): readonly (string | number)[] {
  const p = compilePath(source);
  if (p.root !== 'input' || !p.segments) {
    throw new PathSyntaxError(`'${source}' is not a valid reference path: use '$' or names and indexes like '$.a.b[0]'`);
  }
  return p.segments;
}

/**
 * Places `value` at `segments` in a copy of `input` (copying only along the path), as
 * ResultPath does; intermediate objects are created, anything else in the way fails
 * with States.ResultPathMatchFailure.
 */
export function placeAt(input: Json, segments: readonly (string | number)[], value: Json, source: string): Json {
  if (segments.length === 0) return value;
  const fail = (): never => {
    throw new StatesFailure(StatesErrors.ResultPathMatchFailure, `Unable to apply ReferencePath ${source} to input ${stringify(input)}`);
  };
  const place = (cur: Json | undefined, i: number): Json => {
    const seg = segments[i] as string | number;
    const last = i === segments.length - 1;
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return fail();
      const copy = cur.slice();
      copy[seg] = last ? value : place(cur[seg], i + 1);
      return copy;
    }
    if (cur === undefined) cur = {};
    if (!isObject(cur)) return fail();
    const copy: JsonObject = { ...cur };
    copy[seg] = last ? value : place(cur[seg], i + 1);
    return copy;
  };
  if (!isObject(input) && !Array.isArray(input)) fail();
  return place(input, 0);
}
