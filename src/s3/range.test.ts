import { describe, expect, it } from 'vitest';
import { contentRange, parseCopyRange, parseRange } from './range.js';

describe('Range headers', () => {
  it.each([
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=10-', 100, { start: 10, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['bytes=90-1000', 100, { start: 90, end: 99 }],
    ['bytes=99-99', 100, { start: 99, end: 99 }],
    [' bytes = 1 - 2 ', 100, { start: 1, end: 2 }],
  ])('%s of %i bytes is %o', (header, size, range) => {
    expect(parseRange(header, size)).toEqual(range);
  });

  it.each([
    [undefined], ['items=0-1'], ['bytes=0-1,5-6'], ['bytes=5-1'], ['bytes=-'], ['bytes=a-b'],
  ])('serves the whole object for %s', (header) => {
    expect(parseRange(header, 100)).toBeUndefined();
  });

  it.each([
    ['bytes=100-', 100], ['bytes=200-300', 100], ['bytes=0-', 0], ['bytes=-0', 100], ['bytes=-5', 0],
  ])('answers %s of %i bytes with InvalidRange (416)', (header, size) => {
    expect(() => parseRange(header, size)).toThrow(expect.objectContaining({ code: 'InvalidRange', httpStatus: 416 }));
  });

  it('writes Content-Range', () => {
    expect(contentRange({ start: 0, end: 9 }, 100)).toBe('bytes 0-9/100');
  });

  it('reads copy ranges strictly', () => {
    expect(parseCopyRange('bytes=0-4', 10)).toEqual({ start: 0, end: 4 });
    expect(() => parseCopyRange('bytes=5-', 10)).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
    expect(() => parseCopyRange('bytes=5-10', 10)).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
  });
});
