import { describe, expect, it } from 'vitest';
import { AwsError } from '../core/index.js';
import { MAX_SEQ, cutBefore, eventIdOf, filterToken, parseFilterToken, parseStreamToken, streamToken } from './tokens.js';

describe('stream tokens', () => {
  it('look like AWS tokens and round-trip', () => {
    const token = streamToken('forward', { timestamp: 1_767_225_600_000, seq: 42 });
    expect(token).toMatch(/^f\/\d{31}\/s$/);
    expect(parseStreamToken(token)).toEqual({ direction: 'forward', cut: { timestamp: 1_767_225_600_000, seq: 42 } });
    const back = streamToken('backward', { timestamp: 0, seq: MAX_SEQ });
    expect(parseStreamToken(back)).toEqual({ direction: 'backward', cut: { timestamp: 0, seq: MAX_SEQ } });
  });

  it('order as their positions do, digit for digit', () => {
    const a = streamToken('forward', { timestamp: 5, seq: 900 });
    const b = streamToken('forward', { timestamp: 6, seq: 1 });
    expect(a < b).toBe(true);
  });

  it.each(['', 'f/12/s', 'x/0000000000000050000000000000001/s', 'f/0000000000000050000000000000001', 'f/999999999999999999999999999999999/s'])(
    'refuses %j with InvalidParameterException',
    (token) => {
      expect(() => parseStreamToken(token)).toThrow(AwsError);
      expect(() => parseStreamToken(token)).toThrow(/nextToken is invalid/);
    },
  );

  it('puts the cut before an event just below its seq', () => {
    expect(cutBefore(10, 7)).toEqual({ timestamp: 10, seq: 6 });
  });
});

describe('filter tokens and event ids', () => {
  it('round-trip the direction and cut', () => {
    const t = filterToken('backward', { timestamp: 123, seq: 4 });
    expect(parseFilterToken(t)).toEqual({ direction: 'backward', cut: { timestamp: 123, seq: 4 } });
  });

  it('refuses a token from another operation', () => {
    expect(() => parseFilterToken(streamToken('forward', { timestamp: 1, seq: 1 }))).toThrow(/Invalid nextToken/);
  });

  it('makes distinct, digit-only event ids', () => {
    expect(eventIdOf(1, 2)).toMatch(/^\d+$/);
    expect(eventIdOf(1, 2)).not.toBe(eventIdOf(1, 3));
  });
});
