import { isIP } from 'node:net';
import { isPlainObject, type Leaf, type PatternNode, type Scalar } from './compile.js';

/**
 * Whether an event (any JSON value, normally the envelope object) matches a compiled
 * pattern, as EventBridge matches:
 *  - every field of the pattern must match, and one of each `$or`'s alternatives;
 *  - an array in the event matches when one of its elements does (arrays of arrays are
 *    flattened), and fields matched inside an array must come from the same element;
 *  - only leaves count as present: a field holding an object, or an empty array, is
 *    absent to `exists` and to every value filter.
 */
export function matchesPattern(node: PatternNode, event: unknown): boolean {
  return matchNode(node, event);
}

function matchNode(node: PatternNode, value: unknown): boolean {
  if (Array.isArray(value) && value.length > 0) return value.some((el) => matchNode(node, el));
  const obj = isPlainObject(value) ? value : undefined;
  for (const [key, sub] of node.fields) {
    const child = obj && Object.hasOwn(obj, key) ? obj[key] : undefined;
    const ok = isLeafList(sub) ? matchLeaves(sub, child) : matchNode(sub, child);
    if (!ok) return false;
  }
  return node.ors.every((alternatives) => alternatives.some((alt) => matchNode(alt, value)));
}

function isLeafList(sub: PatternNode | readonly Leaf[]): sub is readonly Leaf[] {
  return Array.isArray(sub);
}

function matchLeaves(leaves: readonly Leaf[], value: unknown): boolean {
  if (Array.isArray(value) && value.length > 0) return value.some((el) => matchLeaves(leaves, el));
  const present = value !== undefined && !isPlainObject(value) && !Array.isArray(value);
  if (!present) return leaves.some((l) => l.kind === 'exists' && !l.value);
  return leaves.some((l) => matchLeaf(l, value as Scalar));
}

function matchLeaf(leaf: Leaf, v: Scalar): boolean {
  switch (leaf.kind) {
    case 'exists':
      return leaf.value;
    case 'exact':
      return typeof leaf.value === 'number' ? typeof v === 'number' && v === leaf.value : v === leaf.value;
    case 'prefix':
      return typeof v === 'string' && (leaf.ignoreCase ? v.toLowerCase() : v).startsWith(leaf.value);
    case 'suffix':
      return typeof v === 'string' && (leaf.ignoreCase ? v.toLowerCase() : v).endsWith(leaf.value);
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === leaf.value;
    case 'wildcard':
      return typeof v === 'string' && leaf.regex.test(v);
    case 'numeric':
      return typeof v === 'number' && leaf.test(v);
    case 'cidr':
      return typeof v === 'string' && matchesCidr(leaf, v);
    case 'anything-but':
      return !leaf.inner.some((inner) => matchLeaf(inner, v));
  }
}

function matchesCidr(leaf: Extract<Leaf, { kind: 'cidr' }>, v: string): boolean {
  const family = isIP(v);
  if (family === 0) return false;
  return leaf.list.check(v, family === 6 ? 'ipv6' : 'ipv4');
}
