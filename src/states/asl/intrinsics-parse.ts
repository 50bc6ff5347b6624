import { compilePath, type CompiledPath } from './jsonpath.js';
import type { Json } from './json.js';

/** An argument of an intrinsic function call, compiled once with the definition. */
export type IntrinsicArg =
  | { kind: 'literal'; value: Json; raw?: string | undefined }
  | { kind: 'path'; path: CompiledPath }
  | { kind: 'call'; call: IntrinsicCall };

export interface IntrinsicCall {
  readonly name: string;
  readonly args: readonly IntrinsicArg[];
  readonly source: string;
}

export class IntrinsicSyntaxError extends Error {}

export const INTRINSIC_NAMES: ReadonlySet<string> = new Set([
  'States.Format', 'States.StringToJson', 'States.JsonToString', 'States.Array', 'States.ArrayPartition',
  'States.ArrayContains', 'States.ArrayRange', 'States.ArrayGetItem', 'States.ArrayLength', 'States.ArrayUnique',
  'States.Base64Encode', 'States.Base64Decode', 'States.Hash', 'States.JsonMerge', 'States.MathRandom',
  'States.MathAdd', 'States.StringSplit', 'States.UUID',
]);

export function looksLikeIntrinsic(text: string): boolean {
  return /^States\.[A-Za-z0-9]+\s*\(/.test(text);
}

/** Parses `States.Name(arg, ...)`; string literals are single-quoted with `\` escapes. */
export function parseIntrinsic(source: string): IntrinsicCall {
  const p = new Parser(source);
  const call = p.call();
  p.skipSpace();
  if (!p.done()) throw new IntrinsicSyntaxError(`unexpected text after the call in '${source}'`);
  return call;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  skipSpace(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  call(): IntrinsicCall {
    const start = this.i;
    const m = /^States\.[A-Za-z0-9]+/.exec(this.s.slice(this.i));
    if (!m) throw new IntrinsicSyntaxError(`expected an intrinsic function at '${this.s.slice(this.i)}'`);
    const name = m[0];
    if (!INTRINSIC_NAMES.has(name)) throw new IntrinsicSyntaxError(`unknown intrinsic function ${name}`);
    this.i += name.length;
    this.skipSpace();
    this.expect('(');
    const args: IntrinsicArg[] = [];
    this.skipSpace();
    if (this.s[this.i] !== ')') {
      for (;;) {
        this.skipSpace();
        args.push(this.arg());
        this.skipSpace();
        if (this.s[this.i] === ',') {
          this.i++;
          continue;
        }
        break;
      }
    }
    this.expect(')');
    return { name, args, source: this.s.slice(start, this.i) };
  }

  private expect(c: string): void {
    if (this.s[this.i] !== c) throw new IntrinsicSyntaxError(`expected '${c}' at position ${this.i} of '${this.s}'`);
    this.i++;
  }

  private arg(): IntrinsicArg {
    const c = this.s[this.i];
    if (c === "'") return this.stringLiteral();
    if (c === '$') return { kind: 'path', path: compilePath(this.pathText()) };
    if (this.s.startsWith('States.', this.i)) return { kind: 'call', call: this.call() };
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(this.s.slice(this.i));
    if (!m) throw new IntrinsicSyntaxError(`unexpected argument at '${this.s.slice(this.i)}'`);
    this.i += m[0].length;
    return { kind: 'literal', value: JSON.parse(m[0]) as Json };
  }

  /** Keeps `\{` and `\}` escaped in `raw`, for States.Format's template. */
  private stringLiteral(): IntrinsicArg {
    this.i++;
    let value = '';
    let raw = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) throw new IntrinsicSyntaxError(`unterminated string in '${this.s}'`);
      this.i++;
      if (c === "'") break;
      if (c === '\\') {
        const n = this.s[this.i++];
        if (n === undefined) throw new IntrinsicSyntaxError(`unterminated escape in '${this.s}'`);
        value += n;
        raw += n === '{' || n === '}' ? `\\${n}` : n === '\\' ? '\\\\' : n;
      } else {
        value += c;
        raw += c;
      }
    }
    return { kind: 'literal', value, raw };
  }

  /** A path runs to the next `,` or `)` outside brackets and quotes. */
  private pathText(): string {
    const start = this.i;
    let depth = 0;
    let quote: string | undefined;
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i];
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    return this.s.slice(start, this.i).trim();
  }
}
