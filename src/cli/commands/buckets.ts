import { GetBucketNotificationConfigurationCommand, ListObjectsV2Command, paginateListBuckets, paginateListObjectsV2, S3Client, type Bucket, type _Object } from '@aws-sdk/client-s3';
import { Command } from 'commander';
import { action, printJson, withApiOptions, withClient, type ApiOptions, type ClientConfig } from '../client.js';
import { formatBytes, formatTable, isoTime } from '../table.js';

interface BucketsOptions extends ApiOptions {
  prefix?: string;
}

/** A bucket with what one ListObjectsV2 page tells of it. */
export interface BucketUsage {
  name: string;
  created: Date | undefined;
  objects: number;
  bytes: number;
  /** More objects than one page holds: the counts are lower bounds. */
  truncated: boolean;
  eventBridge: boolean;
}

/** Keys counted per bucket in the listing; one ListObjectsV2 page, so the listing stays one call per bucket. */
const COUNT_LIMIT = 1000;

/** `skiff buckets [name]`: S3 buckets with object counts, or one bucket's objects. */
export function bucketsCommand(): Command {
  const cmd = new Command('buckets')
    .description('list S3 buckets (objects, size, EventBridge delivery), or the objects of one bucket')
    .argument('[name]', 'a bucket whose objects to list')
    .option('--prefix <prefix>', 'only keys that begin with this (with a bucket name)');
  return withApiOptions(cmd, false).action(action(buckets));
}

function s3Client(config: ClientConfig): S3Client {
  // path-style: the endpoint is an address, so bucket names cannot go in the host name
  return new S3Client({ ...config, forcePathStyle: true });
}

async function buckets(name: string | undefined, opts: BucketsOptions): Promise<void> {
  await withClient(opts, s3Client, async (s3) => {
    if (name) return showBucket(s3, name, opts);
    const usage: BucketUsage[] = [];
    for (const bucket of await listBuckets(s3)) usage.push(await usageOf(s3, bucket));
    if (opts.json) return printJson({ buckets: usage });
    process.stdout.write(formatTable(['BUCKET', 'CREATED', 'OBJECTS', 'SIZE', 'EVENTBRIDGE'], usage.map(bucketRow)));
  });
}

async function listBuckets(s3: S3Client): Promise<Bucket[]> {
  const out: Bucket[] = [];
  for await (const page of paginateListBuckets({ client: s3 }, {})) out.push(...(page.Buckets ?? []));
  return out;
}

async function usageOf(s3: S3Client, bucket: Bucket): Promise<BucketUsage> {
  const name = bucket.Name ?? '';
  const page = await s3.send(new ListObjectsV2Command({ Bucket: name, MaxKeys: COUNT_LIMIT }));
  const contents = page.Contents ?? [];
  return {
    name,
    created: bucket.CreationDate,
    objects: contents.length,
    bytes: contents.reduce((sum, o) => sum + (o.Size ?? 0), 0),
    truncated: page.IsTruncated === true,
    eventBridge: await eventBridgeOn(s3, name),
  };
}

async function eventBridgeOn(s3: S3Client, bucket: string): Promise<boolean> {
  const config = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  return config.EventBridgeConfiguration !== undefined;
}

/** Name, creation time, object count and size (`1000+` and `≥ …` past one page), `on`/`off`. */
export function bucketRow(b: BucketUsage): string[] {
  const more = b.truncated ? '+' : '';
  return [b.name, isoTime(b.created), `${b.objects}${more}`, `${b.truncated ? '≥ ' : ''}${formatBytes(b.bytes)}`, b.eventBridge ? 'on' : 'off'];
}

async function listObjects(s3: S3Client, bucket: string, prefix: string | undefined): Promise<_Object[]> {
  const out: _Object[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) out.push(...(page.Contents ?? []));
  return out;
}

async function showBucket(s3: S3Client, bucket: string, opts: BucketsOptions): Promise<void> {
  const objects = await listObjects(s3, bucket, opts.prefix);
  const eventBridge = await eventBridgeOn(s3, bucket);
  if (opts.json) return printJson({ bucket, eventBridge, objects });
  process.stdout.write(bucketListing(bucket, opts.prefix, eventBridge, objects));
}

/** A header line (bucket, prefix, EventBridge delivery), the objects, and their total. */
export function bucketListing(bucket: string, prefix: string | undefined, eventBridge: boolean, objects: readonly _Object[]): string {
  const where = `s3://${bucket}/${prefix ?? ''}`;
  const head = `${where}  EventBridge delivery: ${eventBridge ? 'on' : 'off'}\n`;
  const rows = objects.map((o) => [o.Key ?? '', formatBytes(o.Size ?? 0), isoTime(o.LastModified)]);
  const total = objects.reduce((sum, o) => sum + (o.Size ?? 0), 0);
  const count = `${objects.length} object${objects.length === 1 ? '' : 's'}, ${formatBytes(total)}\n`;
  return `${head}${formatTable(['KEY', 'SIZE', 'LAST MODIFIED'], rows)}${count}`;
}
