/** JSON values as the Amazon States Language moves them between states. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality, as ArrayContains/ArrayUnique and JSONata comparisons need. */
export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i] as Json));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k] as Json, b[k] as Json));
  }
  return false;
}

/** JSON text of a value; `undefined` (nothing selected) is shown as `null`. */
export function stringify(v: Json | undefined): string {
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** A description of a value's type for error messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Copies a value coming from outside (a worker's output) so the engine never shares it. */
export function parseJson(text: string): Json {
  return JSON.parse(text) as Json;
}
