import { AwsError, CommonErrors } from '../core/index.js';
import { JSON_CONTENT_TYPES, type JsonService } from './service.js';

/** Parses an awsJson request body: empty means `{}`; anything but an object is refused. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new AwsError(
      CommonErrors.SerializationException,
      `The request body is not valid JSON: ${(err as Error).message}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError(CommonErrors.SerializationException, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** awsJson sends timestamps as epoch seconds. */
export function serializeJson(value: unknown): string {
  return JSON.stringify(value ?? {}, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

/** Checks the Content-Type an awsJson client sends; a charset parameter is allowed. */
export function checkJsonContentType(svc: JsonService, contentType: string | undefined): void {
  const expected = JSON_CONTENT_TYPES[svc.protocol];
  const base = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (base !== expected && base !== 'application/json') {
    throw new AwsError(
      CommonErrors.SerializationException,
      `Content-Type must be ${expected} for X-Amz-Target requests, got '${contentType ?? ''}'.`,
    );
  }
}

export interface ErrorBody {
  status: number;
  code: string;
  body: string;
}

/** The awsJson error shape: `__type` in the body and `X-Amzn-ErrorType` header. */
export function jsonError(code: string, message: string, status: number): ErrorBody {
  return { status, code, body: JSON.stringify({ __type: code, message }) };
}
