/** The conditional request headers of a GET/HEAD (or their `x-amz-copy-source-if-*` twins). */
export interface Conditions {
  readonly ifMatch?: string | undefined;
  readonly ifNoneMatch?: string | undefined;
  readonly ifModifiedSince?: string | undefined;
  readonly ifUnmodifiedSince?: string | undefined;
}

export type ConditionOutcome = 'proceed' | 'not-modified' | 'precondition-failed';

/**
 * RFC 7232's evaluation order, which S3 follows: If-Match (else If-Unmodified-Since)
 * decides 412; then If-None-Match (else If-Modified-Since) decides 304. So If-Match
 * true with If-Unmodified-Since false proceeds, and If-None-Match false with
 * If-Modified-Since true is a 304. Dates compare at whole seconds, as HTTP dates carry.
 * Unparseable dates are ignored.
 */
export function evaluateConditions(c: Conditions, etag: string, lastModified: Date): ConditionOutcome {
  const modifiedSeconds = Math.floor(lastModified.getTime() / 1000);
  if (c.ifMatch !== undefined) {
    if (!etagMatches(c.ifMatch, etag)) return 'precondition-failed';
  } else {
    const since = httpDateSeconds(c.ifUnmodifiedSince);
    if (since !== undefined && modifiedSeconds > since) return 'precondition-failed';
  }
  if (c.ifNoneMatch !== undefined) {
    if (etagMatches(c.ifNoneMatch, etag)) return 'not-modified';
  } else {
    const since = httpDateSeconds(c.ifModifiedSince);
    if (since !== undefined && modifiedSeconds <= since) return 'not-modified';
  }
  return 'proceed';
}

/** Whether an If-Match/If-None-Match list (`*`, `"a"`, `W/"b", c`) names the ETag. */
export function etagMatches(list: string, etag: string): boolean {
  const want = unquote(etag);
  return list.split(',').some((item) => {
    const t = item.trim();
    return t === '*' || unquote(t.replace(/^W\//, '')) === want;
  });
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function httpDateSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}
