import { AwsError, clientError, serverError, type AwsErrorSpec } from '../core/index.js';

/**
 * Every error code the object store answers with, with S3's HTTP status. The SDK maps
 * `NoSuchKey`, `NoSuchBucket`, `NoSuchUpload`, `BucketAlreadyOwnedByYou`, ... to its
 * modelled exception classes by code, so the codes must be exactly S3's.
 */
export const S3Errors = {
  AccessDenied: clientError('AccessDenied', 403),
  AuthorizationQueryParametersError: clientError('AuthorizationQueryParametersError'),
  BadDigest: clientError('BadDigest'),
  BucketAlreadyOwnedByYou: clientError('BucketAlreadyOwnedByYou', 409),
  BucketNotEmpty: clientError('BucketNotEmpty', 409),
  EntityTooLarge: clientError('EntityTooLarge'),
  EntityTooSmall: clientError('EntityTooSmall'),
  IncompleteBody: clientError('IncompleteBody'),
  InvalidArgument: clientError('InvalidArgument'),
  InvalidBucketName: clientError('InvalidBucketName'),
  InvalidDigest: clientError('InvalidDigest'),
  InvalidLocationConstraint: clientError('InvalidLocationConstraint'),
  InvalidPart: clientError('InvalidPart'),
  InvalidPartOrder: clientError('InvalidPartOrder'),
  InvalidPartNumber: clientError('InvalidPartNumber', 416),
  InvalidRange: clientError('InvalidRange', 416),
  InvalidRequest: clientError('InvalidRequest'),
  InvalidURI: clientError('InvalidURI'),
  KeyTooLongError: clientError('KeyTooLongError'),
  MalformedXML: clientError('MalformedXML'),
  MethodNotAllowed: clientError('MethodNotAllowed', 405),
  NoSuchBucket: clientError('NoSuchBucket', 404),
  NoSuchKey: clientError('NoSuchKey', 404),
  NoSuchUpload: clientError('NoSuchUpload', 404),
  NoSuchVersion: clientError('NoSuchVersion', 404),
  NotModified: clientError('NotModified', 304),
  PreconditionFailed: clientError('PreconditionFailed', 412),
  XAmzContentSHA256Mismatch: clientError('XAmzContentSHA256Mismatch'),
  InternalError: serverError('InternalError'),
  NotImplemented: serverError('NotImplemented', 501),
} as const satisfies Record<string, AwsErrorSpec>;

export type S3ErrorCode = keyof typeof S3Errors;

/** Extra members of S3's `<Error>` document (`BucketName`, `Key`, `UploadId`, `Method`, ...). */
export type ErrorDetails = Readonly<Record<string, string>>;

/** An S3 error: its code, message and the extra elements S3 puts in the error document. */
export class S3Error extends AwsError {
  constructor(
    code: S3ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(S3Errors[code], message, options);
  }
}

export function s3Error(code: S3ErrorCode, message: string, details?: ErrorDetails): S3Error {
  return new S3Error(code, message, details);
}

export const noSuchBucket = (bucket: string): S3Error =>
  s3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });

export const noSuchKey = (key: string): S3Error => s3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });

export const noSuchUpload = (uploadId: string): S3Error =>
  s3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );

export const malformedXml = (why: string): S3Error =>
  s3Error('MalformedXML', `The XML you provided was not well-formed or did not validate against our published schema: ${why}`);

export const invalidArgument = (message: string, name: string, value: string): S3Error =>
  s3Error('InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });

export const preconditionFailed = (condition: string): S3Error =>
  s3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });

export const notImplemented = (what: string): S3Error =>
  s3Error('NotImplemented', `A header or query you provided requests functionality that skiff does not implement: ${what}.`);
