/** Small helpers shared by the Docker driver's modules. */

/** The HTTP status of a dockerode (docker-modem) error, when it has one. */
export function dockerStatus(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number') {
    return err.statusCode;
  }
  return undefined;
}

/**
 * Docker's own message for an error: docker-modem wraps it as "(HTTP code 404) no such
 * container - <message> ", but keeps the engine's JSON body in `json`.
 */
export function dockerMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'json' in err) {
    const json: unknown = err.json;
    if (typeof json === 'object' && json !== null && 'message' in json && typeof json.message === 'string') {
      return json.message;
    }
    if (Buffer.isBuffer(json) && json.length > 0) return json.toString('utf8').trim();
  }
  return err instanceof Error ? err.message.trim() : String(err);
}

/** Runs `fn`, mapping a Docker error with one of `statuses` to `fallback`. */
export async function tolerate<T>(statuses: number[], fallback: T, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const status = dockerStatus(err);
    if (status !== undefined && statuses.includes(status)) return fallback;
    throw err;
  }
}

/** Docker writes this zero time for "never" (StartedAt of a created container, ...). */
const ZERO_TIME = /^0001-01-01T/;
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses Docker's RFC3339Nano times ("2024-05-01T12:00:00.123456789Z", fraction of any
 * length, possibly absent), truncating to the millisecond a Date can hold.
 */
export function parseDockerTime(text: string | undefined): Date | undefined {
  if (!text || ZERO_TIME.test(text)) return undefined;
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const millis = (m[2] ?? '').slice(0, 3).padEnd(3, '0');
  const date = new Date(`${m[1]}.${millis}${m[3]}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Reads a stream of newline-separated JSON documents (build and pull progress, events),
 * yielding each parsed document; a line that is not JSON is skipped.
 */
export async function* jsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<unknown> {
  let pending = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const doc = parseJson(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      if (doc !== undefined) yield doc;
    }
  }
  const last = parseJson(pending);
  if (last !== undefined) yield last;
}

function parseJson(line: string): unknown {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/** The `error` of a progress document ({"error": "...", "errorDetail": {...}}), if any. */
export function progressError(doc: unknown): string | undefined {
  if (typeof doc === 'object' && doc !== null && 'error' in doc && typeof doc.error === 'string') return doc.error;
  return undefined;
}

/** Waits `ms`, or less when `signal` aborts first (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

/** `promise`, or a rejection with `message` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
