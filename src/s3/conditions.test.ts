import { describe, expect, it } from 'vitest';
import { etagMatches, evaluateConditions } from './conditions.js';

const etag = '"abc"';
const modified = new Date('2026-01-01T12:00:00.500Z');
const before = 'Thu, 01 Jan 2026 11:00:00 GMT';
const same = 'Thu, 01 Jan 2026 12:00:00 GMT';
const after = 'Thu, 01 Jan 2026 13:00:00 GMT';

describe('conditional requests', () => {
  it.each([
    [{}, 'proceed'],
    [{ ifMatch: '"abc"' }, 'proceed'],
    [{ ifMatch: '"zzz"' }, 'precondition-failed'],
    [{ ifMatch: '*' }, 'proceed'],
    [{ ifNoneMatch: '"abc"' }, 'not-modified'],
    [{ ifNoneMatch: '"zzz", "abc"' }, 'not-modified'],
    [{ ifNoneMatch: '"zzz"' }, 'proceed'],
    [{ ifModifiedSince: before }, 'proceed'],
    [{ ifModifiedSince: same }, 'not-modified'],
    [{ ifModifiedSince: after }, 'not-modified'],
    [{ ifUnmodifiedSince: before }, 'precondition-failed'],
    [{ ifUnmodifiedSince: same }, 'proceed'],
    [{ ifModifiedSince: 'not a date' }, 'proceed'],
    // S3's documented combinations
    [{ ifMatch: '"abc"', ifUnmodifiedSince: before }, 'proceed'],
    [{ ifNoneMatch: '"abc"', ifModifiedSince: before }, 'not-modified'],
    [{ ifNoneMatch: '"zzz"', ifModifiedSince: after }, 'proceed'],
  ])('%o → %s', (conditions, outcome) => {
    expect(evaluateConditions(conditions, etag, modified)).toBe(outcome);
  });

  it('matches ETags with or without quotes, and weak ones', () => {
    expect(etagMatches('abc', '"abc"')).toBe(true);
    expect(etagMatches('W/"abc"', '"abc"')).toBe(true);
    expect(etagMatches('"ab"', '"abc"')).toBe(false);
  });
});
