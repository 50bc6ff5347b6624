/**
 * The small part of HTTP/1.1 the fast path (`fast-path.ts`) parses itself: request and
 * response heads and chunked framing. Deliberately strict: anything it does not
 * recognise as a plain HTTP/1.1 message (`undefined`) is handed to node:http, which
 * answers it as before (400 for malformed requests, chunked or `Expect` uploads, upgrades,
 * absolute-form targets, HTTP/1.0). Pure.
 */

/** A request head the fast path can forward. Header lines are kept as sent. */
export interface RequestHead {
  readonly method: string;
  /** The request target (origin-form: starts with `/`). */
  readonly url: string;
  /** The Host header as sent. */
  readonly host: string;
  /** Header lines to pass on, each with its CRLF (hop-by-hop and X-Forwarded-* left out). */
  readonly passed: string;
  /** The client's X-Forwarded-For values, joined with `, ` (undefined when none). */
  readonly xff: string | undefined;
  readonly traceId: string | undefined;
  readonly contentLength: number;
  /** The client asked to close the connection after this answer. */
  readonly close: boolean;
  /** Lowercased name → value, for rule conditions; duplicate names are not fast-path requests. */
  readonly headers: Record<string, string>;
}

/** Headers that belong to one connection and are never passed on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authorization']);
/** Request headers the load balancer sets itself. */
const REPLACED = new Set(['x-forwarded-proto', 'x-forwarded-port', 'x-amzn-trace-id']);
/** Requests with these go to node:http (bodies without a length, 100-continue, protocol switches). */
const NOT_FAST = new Set(['transfer-encoding', 'expect', 'upgrade', 'http2-settings']);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Control characters other than HTAB, and CR or LF outside a CRLF pair. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BAD_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n/;
const DIGITS = /^\d{1,15}$/;

/**
 * Walks the header lines of `head` from `from` (the start of the first one) to the blank
 * line, calling `each` with the lowercased name, the trimmed value and the line's bounds
 * (`head.slice(at, next)` is the line with its CRLF). False when a line is not
 * `token: value`, or `each` refused one by returning false.
 */
function eachHeader(head: string, from: number, each: (lower: string, value: string, at: number, next: number) => boolean): boolean {
  const last = head.length - 2;
  for (let at = from; at < last; ) {
    const end = head.indexOf('\r\n', at);
    const colon = head.indexOf(':', at);
    if (colon < 0 || colon > end) return false;
    const name = head.slice(at, colon);
    if (!TOKEN.test(name)) return false;
    if (!each(name.toLowerCase(), head.slice(colon + 1, end).trim(), at, end + 2)) return false;
    at = end + 2;
  }
  return true;
}

/** The index just past the blank line ending a head in `buf` (from `from`), or -1. */
export function headEnd(buf: Buffer, from: number): number {
  const i = buf.indexOf('\r\n\r\n', from, 'latin1');
  return i < 0 ? -1 : i + 4;
}

/** Parses `head` (the latin1 text of a request head, its final CRLFCRLF included). */
export function parseRequestHead(head: string): RequestHead | undefined {
  if (BAD_CHARS.test(head)) return undefined;
  const lineEnd = head.indexOf('\r\n');
  const sp1 = head.indexOf(' ');
  const sp2 = head.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 < 0 || sp2 > lineEnd || head.slice(sp2 + 1, lineEnd) !== 'HTTP/1.1') return undefined;
  const method = head.slice(0, sp1);
  const url = head.slice(sp1 + 1, sp2);
  if (!TOKEN.test(method) || url.charCodeAt(0) !== 47 /* / */ || url.includes(' ')) return undefined;
  let passed = '';
  let host: string | undefined;
  let xff: string | undefined;
  let traceId: string | undefined;
  let contentLength: string | undefined;
  let close = false;
  const headers: Record<string, string> = {};
  const wellFormed = eachHeader(head, lineEnd + 2, (lower, value, at, next) => {
    if (headers[lower] !== undefined || NOT_FAST.has(lower)) return false;
    headers[lower] = value;
    if (lower === 'host') host = value;
    else if (lower === 'content-length') contentLength = value;
    else if (lower === 'connection') close = /(^|,)\s*close\s*(,|$)/i.test(value);
    else if (lower === 'x-forwarded-for') xff = value;
    else if (lower === 'x-amzn-trace-id') traceId = value;
    if (!HOP_BY_HOP.has(lower) && !REPLACED.has(lower) && lower !== 'x-forwarded-for') passed += head.slice(at, next);
    return true;
  });
  if (!wellFormed || host === undefined || (contentLength !== undefined && !DIGITS.test(contentLength))) return undefined;
  return { method, url, host, passed, xff, traceId, contentLength: contentLength === undefined ? 0 : Number(contentLength), close, headers };
}

/** How a response's body ends. */
export type Framing = 'none' | 'length' | 'chunked' | 'close';

export interface ResponseHead {
  readonly status: number;
  /** The status line after the version (`200 OK`). */
  readonly statusText: string;
  /** Header lines for the client, each with its CRLF (hop-by-hop left out, framing kept). */
  readonly passed: string;
  readonly framing: Framing;
  readonly contentLength: number;
  /** The target lets the connection be reused. */
  readonly keepAlive: boolean;
  readonly hasDate: boolean;
}

/** Parses a response head; undefined when it is not valid HTTP/1.x (the load balancer answers 502). */
export function parseResponseHead(head: string, requestMethod: string): ResponseHead | undefined {
  if (BAD_CHARS.test(head)) return undefined;
  const lineEnd = head.indexOf('\r\n');
  const version = head.slice(0, 9);
  if ((version !== 'HTTP/1.1 ' && version !== 'HTTP/1.0 ') || lineEnd < 12) return undefined;
  const statusText = head.slice(9, lineEnd);
  const status = Number(statusText.slice(0, 3));
  if (!Number.isInteger(status) || status < 100 || status > 999 || (statusText.length > 3 && statusText[3] !== ' ')) return undefined;
  let passed = '';
  let length: string | undefined;
  let chunked = false;
  let te = false;
  let keepAlive = version === 'HTTP/1.1 ';
  let hasDate = false;
  const wellFormed = eachHeader(head, lineEnd + 2, (lower, value, at, next) => {
    if (lower === 'content-length') {
      if (!DIGITS.test(value) || (length !== undefined && length !== value)) return false;
      // a repeat of the same length is passed on once
      if (length !== undefined) return true;
      length = value;
    } else if (lower === 'transfer-encoding') {
      te = true;
      chunked = /(^|,)\s*chunked\s*$/i.test(value);
    } else if (lower === 'connection') {
      if (/(^|,)\s*close\s*(,|$)/i.test(value)) keepAlive = false;
      else if (/(^|,)\s*keep-alive\s*(,|$)/i.test(value)) keepAlive = true;
    } else if (lower === 'date') hasDate = true;
    if (!HOP_BY_HOP.has(lower) || lower === 'transfer-encoding') passed += head.slice(at, next);
    return true;
  });
  if (!wellFormed) return undefined;
  let framing: Framing;
  if (requestMethod === 'HEAD' || status < 200 || status === 204 || status === 304) framing = 'none';
  else if (te) framing = chunked ? 'chunked' : 'close';
  else if (length !== undefined) framing = Number(length) === 0 ? 'none' : 'length';
  else framing = 'close';
  // a body that ends with the connection, or one whose length is ambiguous, is never reused
  if (framing === 'close' || (te && length !== undefined)) keepAlive = false;
  return { status, statusText, passed, framing, contentLength: length === undefined ? 0 : Number(length), keepAlive, hasDate };
}

/**
 * Finds where a chunked body ends without copying it: `scan` is fed each piece as it
 * arrives and returns how many of its bytes belong to the body (all of them until the
 * last chunk and trailers end, then the offset just past the end), or -1 on a framing
 * error. `done` is set when the body is complete.
 */
export class ChunkedScanner {
  done = false;
  /** Data bytes left in the current chunk. */
  private left = 0;
  /** 0 size line, 1 data, 2 CRLF after data, 3 trailer lines (after the last chunk). */
  private state = 0;
  private line = '';

  scan(buf: Buffer, from: number): number {
    let i = from;
    while (i < buf.length && !this.done) {
      if (this.state === 1) {
        const take = Math.min(this.left, buf.length - i);
        i += take;
        this.left -= take;
        if (this.left === 0) this.state = 2;
        continue;
      }
      const nl = buf.indexOf(10, i);
      const end = nl < 0 ? buf.length : nl + 1;
      this.line += buf.toString('latin1', i, end);
      i = end;
      if (this.line.length > 4096) return -1;
      if (nl < 0) break;
      const line = this.line.endsWith('\r\n') ? this.line.slice(0, -2) : undefined;
      this.line = '';
      if (line === undefined) return -1;
      if (this.state === 0) {
        const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
        if (!size) return -1;
        this.left = parseInt(size[1]!, 16);
        this.state = this.left === 0 ? 3 : 1;
      } else if (this.state === 2) {
        if (line !== '') return -1;
        this.state = 0;
      } else if (line === '') this.done = true;
    }
    return i - from;
  }
}
