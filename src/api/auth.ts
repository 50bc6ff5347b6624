import type http from 'node:http';
import {
  canonicalRequest,
  expectedSignature,
  signaturesMatch,
  signedAt,
  signedRequestOf,
  type SignedRequest,
} from './sigv4.js';

/** Who signed a request, when Skiff issued the credentials it was signed with. */
export interface Principal {
  /** The assumed-role ARN (or the task ARN when the task has no role). */
  arn: string;
  taskArn: string;
  roleArn: string | undefined;
}

export type AuthFailureKind = 'InvalidToken' | 'ExpiredToken' | 'SignatureDoesNotMatch' | 'RequestExpired';

/** A request signed with Skiff's credentials that fails the check; each protocol words it its own way. */
export class AuthFailure extends Error {
  constructor(
    readonly kind: AuthFailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** Knows the credentials Skiff issued (see src/iam). */
export interface CredentialsAuthority {
  /**
   * The secret and identity behind an access key Skiff issued, or undefined when Skiff did
   * not issue it (such requests go on unauthenticated). Throws AuthFailure for credentials
   * Skiff issued that are forged or expired.
   */
  lookup(accessKeyId: string, sessionToken: string | undefined, now: Date): { secretAccessKey: string; principal: Principal } | undefined;
}

/** How far a signature's time may be from ours, as AWS allows. */
const MAX_SKEW_MS = 15 * 60_000;

/** A request signed with credentials Skiff issued, before its signature is checked. */
export interface Claimed {
  signed: SignedRequest;
  secretAccessKey: string;
  principal: Principal;
}

/**
 * The credentials a request claims to be signed with, when Skiff issued them; undefined
 * for unsigned requests and foreign keys, which go on unauthenticated.
 */
export function claimedCredentials(
  req: http.IncomingMessage,
  query: URLSearchParams,
  authority: CredentialsAuthority,
  now: Date,
): Claimed | undefined {
  const signed = signedRequestOf(req, query);
  if (!signed) return undefined;
  const found = authority.lookup(signed.scope.accessKeyId, signed.sessionToken, now);
  return found && { signed, ...found };
}

/**
 * Checks the time and signature of a request signed with credentials Skiff issued.
 * `payloadHash` goes into the canonical request: the edge hashes bodies it buffers; S3
 * takes the signed x-amz-content-sha256 (UNSIGNED-PAYLOAD and the streaming forms
 * included) without hashing the body again.
 */
export function verifySignature(req: http.IncomingMessage, claimed: Claimed, now: Date, payloadHash: string): Principal {
  checkTime(claimed.signed, now);
  const canonical = canonicalRequest(req, claimed.signed, payloadHash);
  if (!signaturesMatch(claimed.signed.signature, expectedSignature(claimed.secretAccessKey, claimed.signed, canonical))) {
    throw new AuthFailure(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return claimed.principal;
}

function checkTime(signed: SignedRequest, now: Date): void {
  const at = signedAt(signed);
  if (!at) throw new AuthFailure('SignatureDoesNotMatch', `X-Amz-Date '${signed.amzDate}' is not in the form yyyymmddThhmmssZ.`);
  if (signed.expiresSeconds !== undefined) {
    if (now.getTime() > at.getTime() + signed.expiresSeconds * 1000) throw new AuthFailure('RequestExpired', 'Request has expired');
    return;
  }
  if (Math.abs(now.getTime() - at.getTime()) > MAX_SKEW_MS) {
    throw new AuthFailure(
      'RequestExpired',
      `Signature expired: ${signed.amzDate} is now earlier than ${stamp(new Date(now.getTime() - MAX_SKEW_MS))} (${stamp(now)} - 15 min.)`,
    );
  }
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** What each protocol family answers to a failed check: code and HTTP status. */
export type AuthProtocol = 'json' | 'restXml' | 'query';
const CODES: Record<AuthProtocol, Record<AuthFailureKind, [string, number]>> = {
  json: {
    InvalidToken: ['UnrecognizedClientException', 403],
    ExpiredToken: ['ExpiredTokenException', 403],
    SignatureDoesNotMatch: ['InvalidSignatureException', 403],
    RequestExpired: ['InvalidSignatureException', 403],
  },
  restXml: {
    InvalidToken: ['InvalidToken', 400],
    ExpiredToken: ['ExpiredToken', 400],
    SignatureDoesNotMatch: ['SignatureDoesNotMatch', 403],
    RequestExpired: ['AccessDenied', 403],
  },
  query: {
    InvalidToken: ['InvalidClientTokenId', 403],
    ExpiredToken: ['ExpiredToken', 403],
    SignatureDoesNotMatch: ['SignatureDoesNotMatch', 403],
    RequestExpired: ['SignatureDoesNotMatch', 403],
  },
};

export function authErrorCode(protocol: AuthProtocol, failure: AuthFailure): { code: string; status: number } {
  const [code, status] = CODES[protocol][failure.kind];
  return { code, status };
}

/** Writes a failed check in the protocol's error shape. */
export function writeAuthError(res: http.ServerResponse, protocol: AuthProtocol, failure: AuthFailure, requestId: string): void {
  const { code, status } = authErrorCode(protocol, failure);
  const message = escapeXml(failure.message);
  let body: string;
  let contentType: string;
  if (protocol === 'json') {
    body = JSON.stringify({ __type: code, message: failure.message });
    contentType = 'application/x-amz-json-1.1';
  } else if (protocol === 'restXml') {
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`;
    contentType = 'application/xml';
  } else {
    body = `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    contentType = 'text/xml';
  }
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-errortype': code, 'content-length': Buffer.byteLength(body) }).end(body);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
