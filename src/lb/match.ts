import { isIPv4 } from 'node:net';
import type { ConditionConfig, RouteAction, RouteRule } from './config.js';

/** What rule conditions look at, taken from the request once. */
export interface RequestView {
  /** The path without the query string, as sent. */
  readonly path: string;
  /** The query string without `?` ('' when none). */
  readonly query: string;
  /** The Host header, lowercased, without a port. */
  readonly host: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly sourceIp: string;
}

export type Matcher = (r: RequestView) => boolean;

export interface CompiledRule {
  readonly matches: Matcher;
  readonly action: RouteAction;
}

/** `*` matches any run of characters (also none), `?` exactly one; everything else literally. */
export function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  let src = '';
  for (const ch of pattern) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[\\^$.|+()[\]{}/-]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, ignoreCase ? 'is' : 's');
}

function anyOf(res: readonly RegExp[], value: string): boolean {
  for (const re of res) if (re.test(value)) return true;
  return false;
}

function headerValues(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Compiles one condition: it holds when any of its values matches (AWS ORs values, ANDs conditions). */
export function compileCondition(c: ConditionConfig): Matcher {
  switch (c.field) {
    case 'path-pattern': {
      const res = c.values.map((v) => wildcard(v, false));
      return (r) => anyOf(res, r.path);
    }
    case 'host-header': {
      const res = c.values.map((v) => wildcard(v, true));
      return (r) => anyOf(res, r.host);
    }
    case 'http-request-method': {
      const methods = new Set(c.values);
      return (r) => methods.has(r.method);
    }
    case 'http-header': {
      const name = c.name.toLowerCase();
      const res = c.values.map((v) => wildcard(v, true));
      return (r) => headerValues(r.headers[name]).some((v) => anyOf(res, v));
    }
    case 'query-string':
      return queryMatcher(c.pairs);
    case 'source-ip': {
      const nets = c.values.map(parseCidr);
      return (r) => nets.some((n) => n(r.sourceIp));
    }
  }
}

function queryMatcher(pairs: ReadonlyArray<{ readonly key?: string | undefined; readonly value: string }>): Matcher {
  const compiled = pairs.map((p) => ({ key: p.key === undefined ? undefined : wildcard(p.key, true), value: wildcard(p.value, true) }));
  return (r) => {
    if (r.query === '') return false;
    const params = [...new URLSearchParams(r.query)];
    return compiled.some((p) => params.some(([k, v]) => (p.key === undefined || p.key.test(k)) && p.value.test(v)));
  };
}

/** An IPv4 CIDR (or a single address, IPv4 or IPv6) as a predicate on the client address. */
export function parseCidr(cidr: string): (ip: string) => boolean {
  const [addr = '', bitsText] = cidr.split('/');
  if (!isIPv4(addr)) return (ip) => ip.toLowerCase() === addr.toLowerCase();
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  const net = (ipv4ToInt(addr) & mask) >>> 0;
  return (ip) => {
    const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    return isIPv4(v4) && ((ipv4ToInt(v4) & mask) >>> 0) === net;
  };
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

export function compileRules(rules: readonly RouteRule[]): CompiledRule[] {
  return rules.map((rule) => {
    const conds = rule.conditions.map(compileCondition);
    const matches: Matcher = conds.length === 0 ? () => true : (r) => conds.every((m) => m(r));
    return { matches, action: rule.action };
  });
}

/** The action of the first rule (in priority order, default last) whose conditions all hold. */
export function route(rules: readonly CompiledRule[], r: RequestView): RouteAction | undefined {
  for (const rule of rules) if (rule.matches(r)) return rule.action;
  return undefined;
}
