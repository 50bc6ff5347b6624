/**
 * CloudWatch Logs filter patterns, the subset skiff supports:
 *
 * - unstructured: `ERROR Exception` (every term appears), `"out of memory"` (a phrase),
 *   `?ERROR ?WARN` (at least one of the ?-terms), `-DEBUG` (the term does not appear).
 *   Matching is case-sensitive and by substring, as AWS documents ("ERROR" matches
 *   "ERRORCODE"). Plain terms and ?-terms together: every plain term and one ?-term.
 * - JSON: `{ $.level = "error" && ($.latency > 100 || $.retry IS TRUE) }` with
 *   =, !=, <, >, <=, >= (strings take = and != and `*` wildcards), IS NULL, IS TRUE,
 *   IS FALSE, NOT EXISTS, && and || and parentheses; selectors `$.a.b` and `$.a[0]`.
 *
 * Space-delimited patterns (`[ip, user, ...]`) and regular expressions (`%...%`) are
 * refused with a FilterPatternError naming the part, never silently matched.
 */
export class FilterPatternError extends Error {
  override name = 'FilterPatternError';
}

export type Matcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string): Matcher {
  const text = pattern.trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return compileJsonPattern(text);
  if (text.startsWith('[')) {
    throw new FilterPatternError(
      `Space-delimited filter patterns are not supported by skiff: '${text}'. Use terms, quoted phrases or a JSON pattern { $.field = value }.`,
    );
  }
  return compileTerms(text);
}

// ---- unstructured terms ---------------------------------------------------------

interface Terms {
  all: string[];
  any: string[];
  none: string[];
}

function compileTerms(text: string): Matcher {
  const terms = parseTerms(text);
  return (message) =>
    terms.all.every((t) => message.includes(t)) &&
    (terms.any.length === 0 || terms.any.some((t) => message.includes(t))) &&
    !terms.none.some((t) => message.includes(t));
}

function parseTerms(text: string): Terms {
  const terms: Terms = { all: [], any: [], none: [] };
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i] ?? '')) {
      i++;
      continue;
    }
    const kind = text[i] === '?' ? 'any' : text[i] === '-' ? 'none' : 'all';
    if (kind !== 'all') i++;
    const [term, next] = text[i] === '"' ? readQuoted(text, i) : readBare(text, i);
    terms[kind].push(term);
    i = next;
  }
  return terms;
}

/** A double-quoted string from `start` (at the quote); `\"` and `\\` are escapes. */
function readQuoted(text: string, start: number): [string, number] {
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) out += text[++i];
    else if (ch === '"') return [out, i + 1];
    else out += ch;
  }
  throw new FilterPatternError(`Unterminated quoted string in filter pattern: ${text.slice(start)}`);
}

function readBare(text: string, start: number): [string, number] {
  let i = start;
  while (i < text.length && !/\s/.test(text[i] ?? '')) i++;
  const term = text.slice(start, i);
  if (term.startsWith('%')) {
    throw new FilterPatternError(`Regular expressions (%...%) in filter patterns are not supported by skiff: '${term}'.`);
  }
  if (term.includes('"')) throw new FilterPatternError(`Misplaced quote in filter pattern term '${term}'.`);
  if (term === '') throw new FilterPatternError(`Empty term in filter pattern '${text}'.`);
  return [term, i];
}

// ---- JSON patterns ----------------------------------------------------------------

type Step = { key: string } | { index: number };
type Literal = { kind: 'number'; value: number } | { kind: 'string'; value: string; glob: RegExp };
type Op = '=' | '!=' | '<' | '>' | '<=' | '>=';
type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'compare'; path: Step[]; op: Op; literal: Literal }
  | { kind: 'is'; path: Step[]; what: 'NULL' | 'TRUE' | 'FALSE' | 'NOT EXISTS' };

type Token = { t: 'sel'; path: Step[]; text: string } | { t: 'str'; v: string } | { t: 'word'; v: string } | { t: 'sym'; v: string };

function compileJsonPattern(text: string): Matcher {
  if (!text.endsWith('}')) throw new FilterPatternError(`A JSON filter pattern must end with '}': ${text}`);
  const parser = new JsonPatternParser(tokenize(text.slice(1, -1)));
  const expr = parser.parse();
  return (message) => {
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return typeof doc === 'object' && doc !== null && evaluate(expr, doc);
  };
}

const SYMBOLS = ['&&', '||', '!=', '<=', '>=', '=', '<', '>', '(', ')'];

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      const [v, next] = readQuoted(src, i);
      tokens.push({ t: 'str', v });
      i = next;
    } else if (ch === '$') {
      const m = /^\$((?:\.[A-Za-z0-9_@-]+|\[\d+\])*)/.exec(src.slice(i));
      const sel = m?.[0] ?? '$';
      if (sel === '$' || /^[.[*]/.test(src.slice(i + sel.length))) {
        throw new FilterPatternError(`Unsupported selector in filter pattern near '${src.slice(i, i + 20)}': use $.field, $.a.b or $.a[0].`);
      }
      tokens.push({ t: 'sel', path: parsePath(m?.[1] ?? ''), text: sel });
      i += sel.length;
    } else {
      i = pushSymbolOrWord(src, i, tokens);
    }
  }
  return tokens;
}

function pushSymbolOrWord(src: string, i: number, tokens: Token[]): number {
  const sym = SYMBOLS.find((s) => src.startsWith(s, i));
  if (sym) {
    tokens.push({ t: 'sym', v: sym });
    return i + sym.length;
  }
  const m = /^[^\s()=!<>&|"]+/.exec(src.slice(i));
  if (!m) throw new FilterPatternError(`Unexpected '${src[i]}' in JSON filter pattern at '${src.slice(i, i + 20)}'.`);
  if (m[0].startsWith('%')) throw new FilterPatternError(`Regular expressions (%...%) in filter patterns are not supported by skiff: '${m[0]}'.`);
  tokens.push({ t: 'word', v: m[0] });
  return i + m[0].length;
}

function parsePath(steps: string): Step[] {
  return [...steps.matchAll(/\.([A-Za-z0-9_@-]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? { key: m[1] } : { index: Number(m[2]) }));
}

class JsonPatternParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    if (this.tokens.length === 0) throw new FilterPatternError('Empty JSON filter pattern {}.');
    const e = this.or();
    const rest = this.tokens[this.pos];
    if (rest) throw new FilterPatternError(`Unexpected '${describe(rest)}' in JSON filter pattern.`);
    return e;
  }

  private or(): Expr {
    let left = this.and();
    while (this.takeSym('||')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Expr {
    let left = this.primary();
    while (this.takeSym('&&')) left = { kind: 'and', left, right: this.primary() };
    return left;
  }

  private primary(): Expr {
    if (this.takeSym('(')) {
      const e = this.or();
      if (!this.takeSym(')')) throw new FilterPatternError("Missing ')' in JSON filter pattern.");
      return e;
    }
    const sel = this.tokens[this.pos++];
    if (sel?.t !== 'sel') throw new FilterPatternError(`Expected a selector like $.field, got '${sel ? describe(sel) : 'end of pattern'}'.`);
    return this.condition(sel.path, sel.text);
  }

  private condition(path: Step[], text: string): Expr {
    if (this.takeWord('IS')) {
      const what = this.tokens[this.pos++];
      if (what?.t === 'word' && (what.v === 'NULL' || what.v === 'TRUE' || what.v === 'FALSE')) return { kind: 'is', path, what: what.v };
      throw new FilterPatternError(`Expected NULL, TRUE or FALSE after '${text} IS'.`);
    }
    if (this.takeWord('NOT')) {
      if (this.takeWord('EXISTS')) return { kind: 'is', path, what: 'NOT EXISTS' };
      throw new FilterPatternError(`Expected EXISTS after '${text} NOT'.`);
    }
    const op = this.tokens[this.pos++];
    if (op?.t !== 'sym' || !['=', '!=', '<', '>', '<=', '>='].includes(op.v)) {
      throw new FilterPatternError(`Expected a comparison (=, !=, <, >, <=, >=) after '${text}'.`);
    }
    const literal = this.literal(text, op.v as Op);
    return { kind: 'compare', path, op: op.v as Op, literal };
  }

  private literal(text: string, op: Op): Literal {
    const tok = this.tokens[this.pos++];
    if (tok?.t !== 'str' && tok?.t !== 'word') throw new FilterPatternError(`Expected a value after '${text} ${op}'.`);
    if (tok.t === 'word' && /^-?\d+(\.\d+)?$/.test(tok.v)) return { kind: 'number', value: Number(tok.v) };
    if (op !== '=' && op !== '!=') throw new FilterPatternError(`'${text} ${op}' needs a number; strings compare with = and != only.`);
    return { kind: 'string', value: tok.v, glob: globOf(tok.v) };
  }

  private takeSym(v: string): boolean {
    const tok = this.tokens[this.pos];
    if (tok?.t !== 'sym' || tok.v !== v) return false;
    this.pos++;
    return true;
  }

  private takeWord(v: string): boolean {
    const tok = this.tokens[this.pos];
    if (tok?.t !== 'word' || tok.v !== v) return false;
    this.pos++;
    return true;
  }
}

function describe(tok: Token): string {
  return tok.t === 'sel' ? tok.text : tok.t === 'str' ? `"${tok.v}"` : tok.v;
}

function globOf(value: string): RegExp {
  const body = value.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 's');
}

function resolve(doc: unknown, path: Step[]): unknown {
  let cur: unknown = doc;
  for (const step of path) {
    if ('key' in step) {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, step.key)) return undefined;
      cur = (cur as Record<string, unknown>)[step.key];
    } else {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step.index];
    }
  }
  return cur;
}

function evaluate(e: Expr, doc: unknown): boolean {
  switch (e.kind) {
    case 'and':
      return evaluate(e.left, doc) && evaluate(e.right, doc);
    case 'or':
      return evaluate(e.left, doc) || evaluate(e.right, doc);
    case 'is': {
      const v = resolve(doc, e.path);
      if (e.what === 'NOT EXISTS') return v === undefined;
      return v === (e.what === 'NULL' ? null : e.what === 'TRUE');
    }
    case 'compare':
      return compare(resolve(doc, e.path), e.op, e.literal);
  }
}

/** A missing field, or one of the wrong kind (object, array, null), never matches. */
function compare(v: unknown, op: Op, lit: Literal): boolean {
  if (lit.kind === 'string') {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return false;
    const eq = lit.glob.test(String(v));
    return op === '=' ? eq : !eq;
  }
  if (typeof v !== 'number') return false;
  switch (op) {
    case '=':
      return v === lit.value;
    case '!=':
      return v !== lit.value;
    case '<':
      return v < lit.value;
    case '>':
      return v > lit.value;
    case '<=':
      return v <= lit.value;
    case '>=':
      return v >= lit.value;
  }
}
