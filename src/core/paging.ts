import { AwsError, type AwsErrorSpec } from './errors.js';

/**
 * Opaque pagination tokens: base64url of the last key returned. List operations
 * sort by a stable key and continue strictly after it, so inserts between pages
 * never repeat or skip an item that existed on the first call.
 */
export function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

export function decodeToken(token: string, invalid: AwsErrorSpec): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { k?: unknown }).k === 'string') {
      return (parsed as { k: string }).k;
    }
  } catch {
    // fall through to the client error below
  }
  throw new AwsError(invalid, 'Invalid nextToken: pass the nextToken value from a previous response unchanged.');
}

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

/**
 * Takes one page from a list sorted by `keyOf` (string order; descending when
 * `descending`), continuing after the key carried by the previous page's token.
 */
export function pageOf<T>(
  sorted: T[],
  keyOf: (t: T) => string,
  limit: number,
  after: string | undefined,
  descending = false,
): Page<T> {
  const beyond = (k: string, a: string): boolean => (descending ? k < a : k > a);
  const start = after === undefined ? 0 : sorted.findIndex((t) => beyond(keyOf(t), after));
  const from = start < 0 ? sorted.length : start;
  const items = sorted.slice(from, from + limit);
  const more = from + limit < sorted.length;
  const last = items[items.length - 1];
  return { items, nextToken: more && last !== undefined ? encodeToken(keyOf(last)) : undefined };
}
