import { describe, expect, it } from 'vitest';
import { parseAmzDate } from '../api/index.js';
import { checkPresigned } from './presigned.js';

function sigv4(date: string, expires: string): URLSearchParams {
  return new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': 'test/20260101/us-east-1/s3/aws4_request',
    'X-Amz-Date': date,
    'X-Amz-Expires': expires,
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': 'a'.repeat(64),
  });
}

const now = new Date('2026-01-01T12:00:00Z');

describe('presigned URLs', () => {
  it('are accepted inside their window', () => {
    expect(() => checkPresigned(sigv4('20260101T115900Z', '60'), now)).not.toThrow();
    expect(() => checkPresigned(sigv4('20260101T110000Z', '3600'), now)).not.toThrow();
  });

  it('are AccessDenied "Request has expired" after it', () => {
    expect(() => checkPresigned(sigv4('20260101T110000Z', '3599'), now)).toThrow(
      expect.objectContaining({ code: 'AccessDenied', httpStatus: 403, message: 'Request has expired' }),
    );
  });

  it.each([
    ['a malformed date', sigv4('2026-01-01T11:00:00Z', '60')],
    ['an impossible date', sigv4('20260231T110000Z', '60')],
    ['a non-numeric expiry', sigv4('20260101T110000Z', 'soon')],
    ['more than a week', sigv4('20260101T110000Z', '604801')],
  ])('refuse %s with AuthorizationQueryParametersError', (_what, query) => {
    expect(() => checkPresigned(query, now)).toThrow(expect.objectContaining({ code: 'AuthorizationQueryParametersError' }));
  });

  it('check the legacy SigV2 Expires too, and leave unsigned requests alone', () => {
    const v2 = (expires: number): URLSearchParams => new URLSearchParams({ AWSAccessKeyId: 'test', Signature: 'x', Expires: String(expires) });
    expect(() => checkPresigned(v2(now.getTime() / 1000 + 10), now)).not.toThrow();
    expect(() => checkPresigned(v2(now.getTime() / 1000 - 10), now)).toThrow(expect.objectContaining({ code: 'AccessDenied' }));
    expect(() => checkPresigned(new URLSearchParams('prefix=a'), now)).not.toThrow();
  });

  it('parse SigV4 dates', () => {
    expect(parseAmzDate('20260101T115900Z')).toEqual(new Date('2026-01-01T11:59:00Z'));
  });
});
