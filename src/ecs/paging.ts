import { ecsError } from './errors.js';

/** ECS list operations take maxResults from 1 to `max`; absent means `max`. */
export function checkMaxResults(maxResults: number | undefined, max: number): number {
  if (maxResults === undefined) return max;
  if (maxResults < 1 || maxResults > max) {
    throw ecsError('InvalidParameterException', `maxResults must be between 1 and ${max}, got ${maxResults}.`);
  }
  return maxResults;
}
