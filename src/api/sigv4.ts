import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

/**
 * SigV4 as a server sees it: the credential scope (`AKID/date/region/service/aws4_request`)
 * read from the Authorization header or a presigned URL, and the signature recomputed
 * from the request as it arrived. Which secret belongs to an access key is not decided
 * here (see src/iam).
 */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;
const ALGORITHM = 'AWS4-HMAC-SHA256';

export function parseCredential(credential: string): CredentialScope | undefined {
  const m = SCOPE.exec(credential.trim());
  if (!m) return undefined;
  const [, accessKeyId, date, region, service] = m as unknown as [string, string, string, string, string];
  return { accessKeyId, date, region, service };
}

export function credentialScopeOf(authorization: string | undefined, query: URLSearchParams): CredentialScope | undefined {
  if (authorization?.startsWith(ALGORITHM)) {
    const m = /Credential=([^,\s]+)/.exec(authorization);
    return m?.[1] ? parseCredential(m[1]) : undefined;
  }
  const presigned = query.get('X-Amz-Credential');
  return presigned ? parseCredential(presigned) : undefined;
}

/** What a signed request claims: enough to recompute its signature. */
export interface SignedRequest {
  scope: CredentialScope;
  /** X-Amz-Date, `yyyymmddThhmmssZ`. */
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  sessionToken: string | undefined;
  /** For a presigned URL, how long it stays valid after amzDate. */
  expiresSeconds: number | undefined;
}

/** The signature claims of a request, or undefined when it is not SigV4-signed (or is malformed). */
export function signedRequestOf(req: http.IncomingMessage, query: URLSearchParams): SignedRequest | undefined {
  const auth = headerValues(req, 'authorization')[0];
  if (auth?.startsWith(ALGORITHM)) {
    const field = (name: string): string | undefined => new RegExp(`${name}=([^,\\s]+)`).exec(auth)?.[1];
    return claims(field('Credential'), headerValues(req, 'x-amz-date')[0], field('Signature'), field('SignedHeaders'), headerValues(req, 'x-amz-security-token')[0], undefined);
  }
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) return undefined;
  const q = (name: string): string | undefined => query.get(name) ?? undefined;
  return claims(q('X-Amz-Credential'), q('X-Amz-Date'), q('X-Amz-Signature'), q('X-Amz-SignedHeaders'), q('X-Amz-Security-Token'), Number(q('X-Amz-Expires') ?? '604800'));
}

function claims(
  credential: string | undefined,
  amzDate: string | undefined,
  signature: string | undefined,
  signedHeaders: string | undefined,
  sessionToken: string | undefined,
  expiresSeconds: number | undefined,
): SignedRequest | undefined {
  const scope = parseCredential(credential ?? '');
  if (!scope || !amzDate || !signature || !signedHeaders) return undefined;
  return { scope, amzDate, signature, signedHeaders: signedHeaders.split(';'), sessionToken, expiresSeconds };
}

/** The time a signature claims, or undefined when X-Amz-Date is not `yyyymmddThhmmssZ`. */
export function signedAt(signed: SignedRequest): Date | undefined {
  return parseAmzDate(signed.amzDate);
}

/** `yyyyMMddTHHmmssZ` as SigV4 writes it; undefined for anything else, or a day that does not exist. */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : undefined;
}

/**
 * The canonical request of SigV4. S3 signs the path as sent (encoded once); every other
 * service encodes each path segment a second time. A presigned URL's own signature is
 * not part of what it signs.
 */
export function canonicalRequest(req: http.IncomingMessage, signed: SignedRequest, payloadHash: string): string {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q < 0 ? raw : raw.slice(0, q);
  const s3 = signed.scope.service === 's3';
  const path = rawPath
    .split('/')
    .map((segment) => (s3 ? strictEncode(safeDecode(segment)) : strictEncode(strictEncode(safeDecode(segment)))))
    .join('/');
  const query = (q < 0 ? '' : raw.slice(q + 1))
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return [strictEncode(safeDecode(key)), strictEncode(safeDecode(value))] as const;
    })
    .filter(([key]) => key !== 'X-Amz-Signature')
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const headers = signed.signedHeaders
    .map((name) => `${name}:${headerValues(req, name).map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`)
    .join('');
  return [req.method ?? 'GET', path || '/', query, headers, signed.signedHeaders.join(';'), payloadHash].join('\n');
}

/** The signature a request should carry if it was signed with `secretAccessKey`. */
export function expectedSignature(secretAccessKey: string, signed: SignedRequest, canonical: string): string {
  const { date, region, service } = signed.scope;
  const stringToSign = [
    ALGORITHM,
    signed.amzDate,
    `${date}/${region}/${service}/aws4_request`,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

export function signaturesMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given.toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Every value of a header, in arrival order (node joins repeated headers; SigV4 joins them with ","). */
function headerValues(req: http.IncomingMessage, name: string): string[] {
  const values: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]?.toLowerCase() === name) values.push(raw[i + 1] ?? '');
  return values;
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX. */
function strictEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
