import type { Json, JsonObject } from '../asl/json.js';

/**
 * ASL writes service parameters and results with capitalized keys (`Cluster`,
 * `TaskDefinition`, `Containers`), the service APIs with camelCase ones. These convert
 * deeply; dates become epoch milliseconds, as Step Functions shows them.
 */
export function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k.charAt(0).toLowerCase() + k.slice(1)] = camelKeys(x);
  return out;
}

export function pascalKeys(v: unknown): Json {
  if (v instanceof Date) return v.getTime();
  if (Array.isArray(v)) return v.map(pascalKeys);
  if (v === undefined) return null;
  if (v === null || typeof v !== 'object') return v as Json;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (x !== undefined) out[k.charAt(0).toUpperCase() + k.slice(1)] = pascalKeys(x);
  }
  return out;
}

/** Waits `ms`, or less when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    t.unref();
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** `ECS.ClusterNotFoundException` from an AWS error raised by the service, else States.TaskFailed. */
export function serviceError(prefix: string, err: unknown): { error: string; cause: string } {
  const code = (err as { code?: unknown; name?: unknown }).code ?? (err as { name?: unknown }).name;
  const message = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' && code !== 'Error' ? { error: `${prefix}.${code}`, cause: message } : { error: 'States.TaskFailed', cause: message };
}
