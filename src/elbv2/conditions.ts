import { isIP } from 'node:net';
import { constraint, invalid } from './errors.js';
import type { RuleCondition } from './model.js';

/** A condition as decoded from the request. */
export interface ConditionInput {
  Field?: string;
  Values?: string[];
  HostHeaderConfig?: { Values?: string[] };
  PathPatternConfig?: { Values?: string[] };
  HttpHeaderConfig?: { HttpHeaderName?: string; Values?: string[] };
  QueryStringConfig?: { Values?: Array<{ Key?: string; Value?: string }> };
  HttpRequestMethodConfig?: { Values?: string[] };
  SourceIpConfig?: { Values?: string[] };
}

/** Conditions a rule may have at most once; http-header and query-string may repeat. */
const ONCE = new Set(['host-header', 'path-pattern', 'http-request-method', 'source-ip']);
const MAX_VALUES = 5;

/**
 * Checks a rule's conditions and returns them as AWS describes them: the `*Config`
 * form, plus the legacy `Values` for path-pattern and host-header.
 */
export function checkConditions(conditions: ConditionInput[]): RuleCondition[] {
  if (conditions.length === 0) throw invalid('A rule must have at least one condition');
  const fields = new Set<string>();
  let total = 0;
  const out = conditions.map((c) => {
    const field = c.Field ?? '';
    if (ONCE.has(field) && fields.has(field)) throw invalid(`A rule can have only one '${field}' condition`);
    fields.add(field);
    const checked = checkCondition(field, c);
    total += countValues(checked);
    return checked;
  });
  if (total > MAX_VALUES) throw invalid(`A rule can have at most ${MAX_VALUES} condition values in total, got ${total}`);
  return out;
}

function countValues(c: RuleCondition): number {
  return (
    (c.PathPatternConfig?.Values ?? c.HostHeaderConfig?.Values ?? c.HttpHeaderConfig?.Values ?? c.HttpRequestMethodConfig?.Values ?? c.SourceIpConfig?.Values)
      ?.length ?? c.QueryStringConfig?.Values?.length ?? 0
  );
}

function valuesOf(field: string, legacy: string[] | undefined, config: string[] | undefined): string[] {
  if (legacy?.length && config?.length) {
    throw invalid(`Specify the values of a '${field}' condition either in Values or in its config, not both`);
  }
  const values = config?.length ? config : (legacy ?? []);
  if (values.length === 0) throw invalid(`A '${field}' condition needs at least one value`);
  for (const v of values) {
    if (v.length < 1 || v.length > 128) throw constraint('values.member', v, 'Member must have length between 1 and 128');
  }
  return values;
}

function checkCondition(field: string, c: ConditionInput): RuleCondition {
  switch (field) {
    case 'path-pattern': {
      const Values = valuesOf(field, c.Values, c.PathPatternConfig?.Values);
      return { Field: field, Values, PathPatternConfig: { Values } };
    }
    case 'host-header': {
      const Values = valuesOf(field, c.Values, c.HostHeaderConfig?.Values);
      for (const v of Values) if (!/^[A-Za-z0-9.*?-]+$/.test(v)) throw invalid(`Host header value '${v}' can contain only A-Z, a-z, 0-9, '-', '.', '*' and '?'`);
      return { Field: field, Values, HostHeaderConfig: { Values } };
    }
    case 'http-header': {
      const name = c.HttpHeaderConfig?.HttpHeaderName ?? '';
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/.test(name)) throw invalid(`HTTP header name '${name}' is not a valid header name`);
      const Values = valuesOf(field, undefined, c.HttpHeaderConfig?.Values);
      return { Field: field, HttpHeaderConfig: { HttpHeaderName: name, Values } };
    }
    case 'http-request-method': {
      const Values = valuesOf(field, undefined, c.HttpRequestMethodConfig?.Values);
      for (const v of Values) if (!/^[A-Z_-]+$/.test(v)) throw invalid(`HTTP request method '${v}' can contain only A-Z, '-' and '_'`);
      return { Field: field, HttpRequestMethodConfig: { Values } };
    }
    case 'query-string': {
      const pairs = c.QueryStringConfig?.Values ?? [];
      if (pairs.length === 0) throw invalid("A 'query-string' condition needs at least one key/value pair");
      for (const p of pairs) if (!p.Value) throw invalid('Each query-string pair needs a Value');
      return { Field: field, QueryStringConfig: { Values: pairs.map((p) => ({ Key: p.Key, Value: p.Value })) } };
    }
    case 'source-ip': {
      const Values = valuesOf(field, undefined, c.SourceIpConfig?.Values);
      for (const v of Values) {
        const [addr = '', bits] = v.split('/');
        const ok = isIP(addr) !== 0 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (isIP(addr) === 4 ? 32 : 128)));
        if (!ok) throw invalid(`Source IP '${v}' must be an address in CIDR notation, e.g. 10.0.0.0/16`);
      }
      return { Field: field, SourceIpConfig: { Values } };
    }
    default:
      throw invalid(`Condition field '${field}' must be one of: path-pattern, host-header, http-header, http-request-method, query-string, source-ip`);
  }
}
