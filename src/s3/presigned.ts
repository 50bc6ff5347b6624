import { parseAmzDate } from '../api/index.js';
import { s3Error } from './errors.js';


/** The longest validity a SigV4 presigned URL may ask for: seven days. */
export const MAX_PRESIGN_SECONDS = 604_800;

/**
 * Presigned URLs (query-string SigV4, and legacy SigV2 `Expires`): the edge checks the
 * signature of those made with credentials Skiff issued (src/api/auth.ts); for every URL
 * the validity window is enforced here: a malformed X-Amz-Date/X-Amz-Expires is AuthorizationQueryParametersError,
 * an expired URL is AccessDenied "Request has expired", as S3 answers.
 */
export function checkPresigned(query: URLSearchParams, now: Date): void {
  if (query.has('X-Amz-Credential') || query.has('X-Amz-Signature')) checkSigV4(query, now);
  else if (query.has('AWSAccessKeyId') && query.has('Signature')) checkSigV2(query, now);
}

function checkSigV4(query: URLSearchParams, now: Date): void {
  const algorithm = query.get('X-Amz-Algorithm');
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    throw queryError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const signedAt = parseAmzDate(query.get('X-Amz-Date') ?? '');
  if (signedAt === undefined) throw queryError('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  const expiresRaw = query.get('X-Amz-Expires') ?? '';
  if (!/^\d+$/.test(expiresRaw)) throw queryError('X-Amz-Expires should be a number');
  const expires = Number(expiresRaw);
  if (expires > MAX_PRESIGN_SECONDS) throw queryError(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGN_SECONDS}`);
  const expiresAt = new Date(signedAt.getTime() + expires * 1000);
  if (now.getTime() > expiresAt.getTime()) throw expired(expiresAt, now, { 'X-Amz-Expires': expiresRaw });
}

function checkSigV2(query: URLSearchParams, now: Date): void {
  const raw = query.get('Expires') ?? '';
  if (!/^\d+$/.test(raw)) throw queryError('Expires should be a number of seconds since the epoch');
  const expiresAt = new Date(Number(raw) * 1000);
  if (now.getTime() > expiresAt.getTime()) throw expired(expiresAt, now, {});
}

function queryError(message: string): Error {
  return s3Error('AuthorizationQueryParametersError', message);
}

function expired(expiresAt: Date, now: Date, extra: Record<string, string>): Error {
  return s3Error('AccessDenied', 'Request has expired', {
    ...extra,
    Expires: expiresAt.toISOString(),
    ServerTime: now.toISOString(),
  });
}
