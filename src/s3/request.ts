import type http from 'node:http';
import { s3Error } from './errors.js';

/** Where a request points: the bucket and key from the Host (virtual-host style) or the path. */
export interface S3Target {
  readonly bucket: string | undefined;
  /** The object key; undefined for service- and bucket-level requests. */
  readonly key: string | undefined;
  readonly query: URLSearchParams;
  /** `/bucket/key` as error documents name the resource. */
  readonly resource: string;
}

/** Host suffixes under which the first labels name a bucket (`photos.s3.localhost:4750`). */
export const DEFAULT_VIRTUAL_HOST_DOMAINS: readonly string[] = ['s3.localhost'];

/**
 * Reads bucket and key from the raw request target. The path is split by hand, never
 * through `new URL()`, which would resolve `..` segments and collapse what S3 treats
 * as part of the key (`/b/../x` is the key `../x` in bucket `b`).
 */
export function parseTarget(req: http.IncomingMessage, domains: readonly string[]): S3Target {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
  if (!rawPath.startsWith('/')) throw s3Error('InvalidURI', `Couldn't parse the specified URI: ${target.slice(0, 200)}`);
  const hostBucket = bucketFromHost(req.headers.host, domains);
  if (hostBucket !== undefined) {
    const key = decode(rawPath.slice(1));
    return { bucket: hostBucket, key: key === '' ? undefined : key, query, resource: `/${hostBucket}/${key}` };
  }
  const rest = rawPath.slice(1);
  const slash = rest.indexOf('/');
  const bucket = decode(slash < 0 ? rest : rest.slice(0, slash));
  const key = slash < 0 ? '' : decode(rest.slice(slash + 1));
  if (bucket === '') return { bucket: undefined, key: undefined, query, resource: '/' };
  return { bucket, key: key === '' ? undefined : key, query, resource: key === '' ? `/${bucket}` : `/${bucket}/${key}` };
}

export function bucketFromHost(host: string | undefined, domains: readonly string[]): string | undefined {
  if (!host) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  for (const domain of domains) {
    const suffix = `.${domain.toLowerCase()}`;
    if (name.endsWith(suffix) && name.length > suffix.length) return name.slice(0, -suffix.length);
  }
  return undefined;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw s3Error('InvalidURI', `Couldn't parse the specified URI: '${s.slice(0, 200)}' is not valid percent-encoded UTF-8.`);
  }
}

/** Sub-resources S3 knows (query parameters that select an operation rather than modify one). */
const SUBRESOURCES = new Set([
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory',
  'legal-hold', 'lifecycle', 'location', 'logging', 'metadataTable', 'metrics', 'notification', 'object-lock',
  'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore',
  'retention', 'select', 'session', 'tagging', 'torrent', 'uploadId', 'uploads', 'versioning', 'versions', 'website',
]);

/** The sub-resources named in a query, in the order given. */
export function subresourcesOf(query: URLSearchParams): string[] {
  const out: string[] = [];
  for (const name of query.keys()) if (SUBRESOURCES.has(name) && !out.includes(name)) out.push(name);
  return out;
}

/** A single-valued request header. */
export function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The virtual-host domains: `s3.localhost` plus the configured ones (SKIFF_S3_DOMAINS, see core/config). */
export function virtualHostDomains(extra: readonly string[]): string[] {
  return [...new Set([...DEFAULT_VIRTUAL_HOST_DOMAINS, ...extra.map((d) => d.toLowerCase())])];
}
