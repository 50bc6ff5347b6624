import { AwsError, type AwsErrorSpec } from '../core/index.js';
import type { Shape } from '../api/index.js';

/**
 * The awsQuery protocol's request side, generic over services (ELBv2 today; IAM, SNS,
 * SQS-query, CloudFormation later, when this moves to src/api/): a form-encoded body
 * (or URL query) of `Action`, `Version` and flattened members:
 *
 *   Name=x  Subnets.member.1=a  Subnets.member.2=b  Matcher.HttpCode=200
 *   Attributes.member.1.Key=k  Attributes.member.1.Value=v  Params.entry.1.key=k
 *
 * An empty list is sent as `Subnets=` (SDK v3 and botocore both do so). Values are
 * decoded against a Shape: the structure tells which keys are lists, integers and
 * booleans, since the wire carries only strings.
 */
export interface QueryRequest {
  action: string | undefined;
  version: string | undefined;
  params: Map<string, string>;
}

/** Reads Action, Version and the other parameters from a form body and the URL query. */
export function parseQueryRequest(body: string, search: URLSearchParams): QueryRequest {
  const params = new Map<string, string>();
  for (const [k, v] of search) params.set(k, v);
  for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
  const action = params.get('Action');
  const version = params.get('Version');
  params.delete('Action');
  params.delete('Version');
  return { action, version, params };
}

interface Node {
  value: string | undefined;
  children: Map<string, Node>;
}

function newNode(): Node {
  return { value: undefined, children: new Map() };
}

/** Builds the tree `A.member.1.B=v` → A → member → 1 → B(v). */
function treeOf(params: Map<string, string>): Node {
  const root = newNode();
  for (const [key, value] of params) {
    let node = root;
    for (const part of key.split('.')) {
      let child = node.children.get(part);
      if (!child) {
        child = newNode();
        node.children.set(part, child);
      }
      node = child;
    }
    node.value = value;
  }
  return root;
}

/**
 * Decodes the flattened parameters into a plain object shaped by `shape` (a struct).
 * Unknown members, malformed numbers and booleans, and missing required members are
 * `invalid` errors with AWS's "1 validation error detected" wording.
 */
export function decodeQueryInput(params: Map<string, string>, shape: Shape, invalid: AwsErrorSpec): Record<string, unknown> {
  const out = decodeNode(treeOf(params), shape, '', invalid);
  return (out ?? {}) as Record<string, unknown>;
}

function decodeNode(node: Node, shape: Shape, path: string, invalid: AwsErrorSpec): unknown {
  switch (shape.kind) {
    case 'struct':
      return decodeStruct(node, shape, path, invalid);
    case 'list':
      return decodeList(node, shape.member, path, invalid);
    case 'map':
      return decodeMap(node, shape.value, path, invalid);
    case 'any':
      return untyped(node);
    default:
      return decodeScalar(node, shape, path, invalid);
  }
}

/** A member the shapes leave open: strings and nested objects as sent. */
function untyped(node: Node): unknown {
  if (node.children.size === 0) return node.value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of node.children) out[k] = untyped(v);
  return out;
}

function decodeStruct(node: Node, shape: Extract<Shape, { kind: 'struct' }>, path: string, invalid: AwsErrorSpec): unknown {
  if (node.children.size === 0 && node.value !== undefined && path !== '') {
    throw validation(invalid, node.value, path, 'Member must be a structure');
  }
  const out: Record<string, unknown> = {};
  for (const [name, child] of node.children) {
    const member = shape.members[name];
    const where = path === '' ? name : `${path}.${name}`;
    if (!member) {
      const known = Object.keys(shape.members).join(', ');
      throw new AwsError(invalid, `Unknown parameter '${where}'; expected one of: ${known}.`);
    }
    out[name] = decodeNode(child, member, where, invalid);
  }
  for (const r of shape.required ?? []) {
    if (out[r] === undefined) {
      throw new AwsError(invalid, `1 validation error detected: Value null at '${camel(path === '' ? r : `${path}.${r}`)}' failed to satisfy constraint: Member must not be null`);
    }
  }
  return out;
}

function indexed(node: Node, wrapper: string, path: string, invalid: AwsErrorSpec): Node[] {
  const items = node.children.get(wrapper);
  if (node.children.size > (items ? 1 : 0) || (items && items.value !== undefined)) {
    throw new AwsError(invalid, `'${path}' must be sent as ${path}.${wrapper}.N.`);
  }
  if (!items) return [];
  const entries = [...items.children].map(([k, v]) => {
    const n = Number(k);
    if (!/^[1-9]\d{0,5}$/.test(k)) throw new AwsError(invalid, `Invalid list index '${k}' in '${path}.${wrapper}.${k}'.`);
    return [n, v] as const;
  });
  return entries.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

function decodeList(node: Node, member: Shape, path: string, invalid: AwsErrorSpec): unknown[] {
  if (node.children.size === 0) {
    if (node.value === undefined || node.value === '') return [];
    throw validation(invalid, node.value, path, 'Member must be a list');
  }
  return indexed(node, 'member', path, invalid).map((n, i) => decodeNode(n, member, `${path}.member.${i + 1}`, invalid));
}

function decodeMap(node: Node, value: Shape, path: string, invalid: AwsErrorSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (node.children.size === 0) return out;
  for (const entry of indexed(node, 'entry', path, invalid)) {
    const key = entry.children.get('key')?.value;
    const v = entry.children.get('value');
    if (key === undefined || !v) throw new AwsError(invalid, `Each '${path}.entry.N' needs a key and a value.`);
    out[key] = decodeNode(v, value, `${path}.${key}`, invalid);
  }
  return out;
}

function decodeScalar(node: Node, shape: Shape, path: string, invalid: AwsErrorSpec): unknown {
  if (node.children.size > 0) throw new AwsError(invalid, `'${path}' is a single value, not a structure or list.`);
  const raw = node.value ?? '';
  switch (shape.kind) {
    case 'integer': {
      if (!/^-?\d{1,15}$/.test(raw.trim())) throw validation(invalid, raw, path, 'Member must be an integer');
      return Number(raw);
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (v !== 'true' && v !== 'false') throw validation(invalid, raw, path, 'Member must be true or false');
      return v === 'true';
    }
    case 'timestamp': {
      const t = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(t.getTime())) throw validation(invalid, raw, path, 'Member must be an ISO 8601 timestamp');
      return t;
    }
    default:
      return raw;
  }
}

/** AWS names members lowerCamelCase in validation messages (`loadBalancerArn`). */
export function camel(path: string): string {
  return path
    .split('.')
    .map((p) => (p.length > 0 ? p[0]!.toLowerCase() + p.slice(1) : p))
    .join('.');
}

function validation(invalid: AwsErrorSpec, value: string, path: string, constraint: string): AwsError {
  return new AwsError(invalid, `1 validation error detected: Value '${value}' at '${camel(path)}' failed to satisfy constraint: ${constraint}`);
}
