import { decodeToken, encodeToken } from '../core/index.js';
import { intParam, ownerXml, readXml, requireBucket } from './common.js';
import type { S3Context } from './context.js';
import { S3Errors, malformedXml, s3Error } from './errors.js';
import { emptyResponse, xmlResponse, type S3Call, type S3Response } from './http.js';
import { checkBucketName } from './names.js';
import { child, childText, el, parent, xmlDocument, S3_NAMESPACE } from './xml.js';

/** The region of a bucket created without a LocationConstraint, as S3 has it. */
const DEFAULT_LOCATION = 'us-east-1';
const NOTIFICATION_KINDS = new Set(['TopicConfiguration', 'QueueConfiguration', 'CloudFunctionConfiguration', 'LambdaFunctionConfiguration', 'EventBridgeConfiguration']);

/** Bucket operations: create, head, delete, list, location, notification, versioning. */
export class Buckets {
  constructor(private readonly ctx: S3Context) {}

  async create(call: S3Call): Promise<S3Response> {
    const name = call.target.bucket ?? '';
    checkBucketName(name);
    const config = await readXml(call, this.ctx, 'CreateBucketConfiguration');
    const location = (config && childText(config.doc, 'LocationConstraint')?.trim()) || DEFAULT_LOCATION;
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(location) && location !== 'EU') {
      throw s3Error('InvalidLocationConstraint', `The specified location-constraint '${location}' is not valid`);
    }
    if (!this.ctx.store.insertBucket(name, location, call.now)) {
      throw s3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: name });
    }
    return emptyResponse(200, { location: `/${name}` });
  }

  head(call: S3Call): S3Response {
    const bucket = requireBucket(this.ctx, call.target.bucket ?? '');
    return emptyResponse(200, { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' });
  }

  /** Refuses while objects remain; in-progress multipart uploads go with the bucket. */
  async delete(call: S3Call): Promise<S3Response> {
    const name = call.target.bucket ?? '';
    const blobs = this.ctx.store.transaction(() => {
      requireBucket(this.ctx, name);
      if (this.ctx.store.hasObjects(name)) {
        throw s3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: name });
      }
      const parts = this.ctx.store.uploadIdsOf(name).flatMap((id) => this.ctx.store.deleteUpload(id));
      this.ctx.store.deleteBucket(name);
      return parts;
    });
    await this.ctx.blobs.remove(blobs);
    return emptyResponse(204);
  }

  list(call: S3Call): S3Response {
    const q = call.target.query;
    const prefix = q.get('prefix') ?? '';
    const max = intParam(q, 'max-buckets', 10_000, 10_000);
    const token = q.get('continuation-token');
    const after = token ? decodeToken(token, S3Errors.InvalidArgument) : '';
    const all = this.ctx.store.buckets().filter((b) => b.name.startsWith(prefix) && b.name > after);
    const page = all.slice(0, max);
    const more = all.length > page.length && page.length > 0;
    const buckets = page.map((b) =>
      parent('Bucket', [el('Name', b.name), el('CreationDate', b.createdAt), el('BucketRegion', b.region)]),
    );
    return xmlResponse(
      xmlDocument('ListAllMyBucketsResult', [
        ownerXml(this.ctx),
        parent('Buckets', buckets),
        more ? el('ContinuationToken', encodeToken(page[page.length - 1]!.name)) : '',
        q.has('prefix') ? el('Prefix', prefix) : '',
      ]),
    );
  }

  location(call: S3Call): S3Response {
    const bucket = requireBucket(this.ctx, call.target.bucket ?? '');
    const value = bucket.region === DEFAULT_LOCATION ? '' : bucket.region;
    return xmlResponse(`<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_NAMESPACE}">${value}</LocationConstraint>`);
  }

  getNotification(call: S3Call): S3Response {
    const bucket = requireBucket(this.ctx, call.target.bucket ?? '');
    return xmlResponse(`<?xml version="1.0" encoding="UTF-8"?>\n${bucket.notification ?? `<NotificationConfiguration xmlns="${S3_NAMESPACE}"/>`}`);
  }

  /**
   * Stores the configuration document as given. Only `<EventBridgeConfiguration/>` is
   * acted on (object events go to the outbox); topic, queue and function destinations
   * are kept and returned but nothing is delivered to them.
   */
  async putNotification(call: S3Call): Promise<S3Response> {
    const name = call.target.bucket ?? '';
    requireBucket(this.ctx, name);
    const body = await readXml(call, this.ctx, 'NotificationConfiguration');
    if (!body) throw malformedXml('the request has no NotificationConfiguration document');
    const { doc } = body;
    for (const c of doc.children) {
      if (!NOTIFICATION_KINDS.has(c.name)) throw malformedXml(`<${c.name}> is not a notification configuration`);
    }
    const eventBridge = child(doc, 'EventBridgeConfiguration') !== undefined;
    const text = body.text.replace(/^\s*<\?xml[^>]*\?>\s*/, '').trim();
    this.ctx.store.transaction(() => {
      requireBucket(this.ctx, name);
      this.ctx.store.setNotification(name, text, eventBridge);
    });
    return emptyResponse(200);
  }

  getVersioning(call: S3Call): S3Response {
    requireBucket(this.ctx, call.target.bucket ?? '');
    return xmlResponse(xmlDocument('VersioningConfiguration', []));
  }
}
