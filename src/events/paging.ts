import { decodeToken, pageOf, type Page } from '../core/index.js';
import { constraint, EventsErrors } from './errors.js';

/** One page of a list sorted by `keyOf`, with EventBridge's Limit (1-100) and NextToken. */
export function page<T>(sorted: T[], keyOf: (t: T) => string, limit: number | undefined, nextToken: string | undefined): Page<T> {
  if (limit !== undefined && (limit < 1 || limit > 100)) throw constraint('limit', limit, 'have value between 1 and 100');
  const after = nextToken ? decodeToken(nextToken, EventsErrors.ValidationException) : undefined;
  return pageOf(sorted, keyOf, limit ?? 100, after);
}
