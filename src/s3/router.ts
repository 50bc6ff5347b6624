import type http from 'node:http';
import { notImplemented, s3Error } from './errors.js';
import { header, subresourcesOf, type S3Target } from './request.js';

export const S3_OPERATIONS = [
  'ListBuckets', 'CreateBucket', 'HeadBucket', 'DeleteBucket', 'GetBucketLocation', 'GetBucketVersioning',
  'GetBucketNotificationConfiguration', 'PutBucketNotificationConfiguration',
  'ListObjects', 'ListObjectsV2', 'PutObject', 'GetObject', 'HeadObject', 'DeleteObject', 'DeleteObjects', 'CopyObject',
  'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'AbortMultipartUpload',
  'ListParts', 'ListMultipartUploads',
] as const;

export type S3Operation = (typeof S3_OPERATIONS)[number];

/**
 * Picks the operation from the method, whether a bucket and key are addressed, and the
 * sub-resource in the query (`?uploads`, `?notification`, ...). Other query parameters
 * (such as the SDK's `x-id=PutObject`) do not select anything. A known sub-resource
 * skiff does not serve is NotImplemented (501); a method the resource does not take is
 * MethodNotAllowed (405).
 */
export function resolveOperation(req: http.IncomingMessage, target: S3Target): S3Operation {
  const method = (req.method ?? 'GET').toUpperCase();
  const subs = subresourcesOf(target.query);
  if (target.bucket === undefined) {
    if (method === 'GET' && subs.length === 0) return 'ListBuckets';
    throw notAllowed(method, 'SERVICE');
  }
  return target.key === undefined ? bucketOperation(method, subs, target) : objectOperation(method, subs, req);
}

function bucketOperation(method: string, subs: string[], target: S3Target): S3Operation {
  const sub = subs[0];
  switch (method) {
    case 'GET':
      if (sub === undefined) return target.query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      if (sub === 'location') return 'GetBucketLocation';
      if (sub === 'notification') return 'GetBucketNotificationConfiguration';
      if (sub === 'uploads') return 'ListMultipartUploads';
      if (sub === 'versioning') return 'GetBucketVersioning';
      break;
    case 'HEAD':
      return 'HeadBucket';
    case 'PUT':
      if (sub === undefined) return 'CreateBucket';
      if (sub === 'notification') return 'PutBucketNotificationConfiguration';
      break;
    case 'DELETE':
      if (sub === undefined) return 'DeleteBucket';
      break;
    case 'POST':
      if (sub === 'delete') return 'DeleteObjects';
      if (sub === undefined) throw notImplemented('POST object uploads (browser forms)');
      break;
    default:
      throw notAllowed(method, 'BUCKET');
  }
  throw notImplemented(`${method} on the bucket sub-resource '${sub ?? ''}'`);
}

function objectOperation(method: string, subs: string[], req: http.IncomingMessage): S3Operation {
  const has = (s: string): boolean => subs.includes(s);
  const other = subs.find((s) => s !== 'uploadId' && s !== 'uploads');
  if (other !== undefined) throw notImplemented(`${method} on the object sub-resource '${other}'`);
  const copy = header(req, 'x-amz-copy-source') !== undefined;
  switch (method) {
    case 'PUT':
      if (has('uploadId')) return copy ? 'UploadPartCopy' : 'UploadPart';
      return copy ? 'CopyObject' : 'PutObject';
    case 'GET':
      return has('uploadId') ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
      if (has('uploads')) return 'CreateMultipartUpload';
      if (has('uploadId')) return 'CompleteMultipartUpload';
      break;
  }
  throw notAllowed(method, 'OBJECT');
}

function notAllowed(method: string, resourceType: string): Error {
  return s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: method, ResourceType: resourceType });
}
