/**
 * Docker's log stream, as LogLines. Without a TTY the stream is multiplexed: each frame is
 * an 8-byte header (byte 0 the stream: 1 stdout, 2 stderr; bytes 4-7 the payload length,
 * big-endian) then the payload. With `timestamps`, each payload starts with the
 * RFC3339Nano time of the entry and a space. Docker cuts lines longer than 16 KiB into
 * several entries (each with its own timestamp), so text is gathered per stream until a
 * newline, and the line takes the time of its first piece.
 */
import type { LogLine } from '../contract.js';
import { parseDockerTime } from './util.js';

interface Frame {
  stream: LogLine['stream'];
  payload: Buffer;
}

const HEADER = 8;

/** Splits a byte stream into frames; chunks may cut frames anywhere. */
export async function* frames(chunks: AsyncIterable<Buffer | string> | Iterable<Buffer>): AsyncGenerator<Frame> {
  let buffered = Buffer.alloc(0);
  for await (const chunk of chunks) {
    buffered = Buffer.concat([buffered, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
    while (buffered.length >= HEADER) {
      const size = buffered.readUInt32BE(4);
      if (buffered.length < HEADER + size) break;
      const kind = buffered[0];
      const payload = buffered.subarray(HEADER, HEADER + size);
      buffered = buffered.subarray(HEADER + size);
      // stdin (0) never appears in logs; anything else but stderr is treated as stdout
      yield { stream: kind === 2 ? 'stderr' : 'stdout', payload };
    }
  }
}

interface Pending {
  text: string;
  timestamp: Date;
}

/** Turns frames into complete lines; a last line without a newline is flushed at the end. */
export async function* logLines(input: AsyncIterable<Frame>, since?: Date): AsyncGenerator<LogLine> {
  const pending: Partial<Record<LogLine['stream'], Pending>> = {};
  for await (const frame of input) {
    const { timestamp, text } = splitTimestamp(frame.payload.toString('utf8'));
    const current = pending[frame.stream] ?? { text: '', timestamp };
    current.text += text;
    let nl: number;
    while ((nl = current.text.indexOf('\n')) >= 0) {
      const line = { stream: frame.stream, timestamp: current.timestamp, message: stripCr(current.text.slice(0, nl)) };
      current.text = current.text.slice(nl + 1);
      current.timestamp = timestamp;
      if (!since || line.timestamp >= since) yield line;
    }
    pending[frame.stream] = current.text === '' ? undefined : current;
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    const rest = pending[stream];
    if (rest && (!since || rest.timestamp >= since)) yield { stream, timestamp: rest.timestamp, message: stripCr(rest.text) };
  }
}

const stripCr = (s: string): string => (s.endsWith('\r') ? s.slice(0, -1) : s);

function splitTimestamp(payload: string): { timestamp: Date; text: string } {
  const space = payload.indexOf(' ');
  const timestamp = space > 0 ? parseDockerTime(payload.slice(0, space)) : undefined;
  // no parsable prefix (should not happen with timestamps on): keep the text whole
  if (!timestamp) return { timestamp: new Date(), text: payload };
  return { timestamp, text: payload.slice(space + 1) };
}

/** Fetches a container's log stream; undefined when the container is gone. */
export type LogFetch = (follow: boolean, since: Date | undefined) => Promise<AsyncIterable<Buffer> | Iterable<Buffer> | undefined>;

/**
 * Follows a container's logs to its end. Docker ends a follow when the container stops,
 * which can be before its last output reaches the log (seen on 20.10: a final line
 * without a newline is never sent to followers). So once the follow ends and the
 * container has stopped, the log is read once more from the last line delivered, and
 * what the follow missed is delivered too; lines sharing the last delivered line's
 * millisecond are matched by position, as both reads come from the same file.
 */
export async function* followLogs(fetch: LogFetch, since: Date | undefined, stopped: () => Promise<void>): AsyncGenerator<LogLine> {
  let last: Date | undefined;
  let atLast = 0; // lines delivered with the timestamp `last`
  const body = await fetch(true, since);
  if (!body) return;
  for await (const line of logLines(frames(body), since)) {
    if (last?.getTime() === line.timestamp.getTime()) atLast++;
    else [last, atLast] = [line.timestamp, 1];
    yield line;
  }
  await stopped();
  const rest = await fetch(false, last ?? since);
  if (!rest) return;
  for await (const line of logLines(frames(rest), last ?? since)) {
    if (atLast > 0 && line.timestamp.getTime() === last?.getTime()) {
      atLast--;
      continue;
    }
    yield line;
  }
}

/** Docker's `since`: Unix seconds with a fraction (the engine reads nanoseconds). */
export function dockerSince(since: Date): string {
  const ms = since.getTime();
  const seconds = Math.floor(ms / 1000);
  const fraction = String(ms - seconds * 1000).padStart(3, '0');
  return `${seconds}.${fraction}000000`;
}
