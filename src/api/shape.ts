import { AwsError, CommonErrors, type AwsErrorSpec } from '../core/index.js';
import type { Handler, RequestContext } from './service.js';

/**
 * A small description of an operation's input, in the spirit of the Smithy model the
 * SDKs are generated from: wrong JSON types are a SerializationException (as AWS
 * answers), unknown members and missing required ones are the service's own
 * validation error.
 */
export type Shape =
  | { kind: 'string' }
  | { kind: 'integer' }
  | { kind: 'boolean' }
  | { kind: 'timestamp' }
  | { kind: 'any' }
  | { kind: 'list'; member: Shape }
  | { kind: 'map'; value: Shape }
  | { kind: 'struct'; members: Readonly<Record<string, Shape>>; required?: readonly string[] };

export const S = {
  string: { kind: 'string' } as Shape,
  integer: { kind: 'integer' } as Shape,
  boolean: { kind: 'boolean' } as Shape,
  timestamp: { kind: 'timestamp' } as Shape,
  any: { kind: 'any' } as Shape,
  list: (member: Shape): Shape => ({ kind: 'list', member }),
  map: (value: Shape): Shape => ({ kind: 'map', value }),
  struct: (members: Record<string, Shape>, required: readonly string[] = []): Shape => ({ kind: 'struct', members, required }),
  strings: { kind: 'list', member: { kind: 'string' } } as Shape,
};

/** Checks `value` against `shape`; `invalid` is the service's error for unknown/missing members. */
export function checkShape(value: unknown, shape: Shape, invalid: AwsErrorSpec, path = ''): void {
  if (value === null || value === undefined) return;
  const where = path === '' ? 'the request' : path;
  const wrongType = (expected: string): never => {
    throw new AwsError(
      CommonErrors.SerializationException,
      `${where} must be ${expected}, got ${Array.isArray(value) ? 'an array' : typeof value}.`,
    );
  };
  switch (shape.kind) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') wrongType('a string');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) wrongType('an integer');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrongType('a boolean');
      return;
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string') wrongType('a timestamp (epoch seconds)');
      return;
    case 'list':
      if (!Array.isArray(value)) wrongType('a list');
      (value as unknown[]).forEach((item, i) => {
        if (item === null || item === undefined) {
          throw new AwsError(CommonErrors.SerializationException, `${path}[${i}] must not be null.`);
        }
        checkShape(item, shape.member, invalid, `${path}[${i}]`);
      });
      return;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) wrongType('a map');
      for (const [k, v] of Object.entries(value as object)) checkShape(v, shape.value, invalid, `${path}.${k}`);
      return;
    case 'struct':
      checkStruct(value, shape, invalid, path, wrongType);
  }
}

function checkStruct(
  value: unknown,
  shape: Extract<Shape, { kind: 'struct' }>,
  invalid: AwsErrorSpec,
  path: string,
  wrongType: (expected: string) => never,
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) wrongType('an object');
  const obj = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    const member = shape.members[k];
    if (!member) {
      const known = Object.keys(shape.members).join(', ');
      throw new AwsError(invalid, `Unknown parameter '${k}' in ${path === '' ? 'the request' : path}; expected one of: ${known}.`);
    }
    checkShape(v, member, invalid, path === '' ? k : `${path}.${k}`);
  }
  for (const r of shape.required ?? []) {
    if (obj[r] === undefined || obj[r] === null) {
      throw new AwsError(invalid, `Missing required parameter '${path === '' ? r : `${path}.${r}`}'.`);
    }
  }
}

/** A copy without null-valued object members: JSON `null` means "absent" to AWS services. */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => withoutNulls(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out as T;
}

/**
 * Makes operations for one service: each checks its input against its shape (refusing
 * with `invalid`, the service's validation error) and hands the handler a copy without
 * nulls. Every service provider builds its operation table with one.
 */
export function shapedOperations(invalid: AwsErrorSpec) {
  return <I>(shape: Shape, fn: (input: I, ctx: RequestContext) => unknown): Handler =>
    (input, ctx) => {
      checkShape(input, shape, invalid);
      return fn(withoutNulls(input) as I, ctx);
    };
}
