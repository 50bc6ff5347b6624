import { formatArn, parseArn, type AccountScope } from '../core/index.js';
import { statesError } from './errors.js';

/**
 * Names and ARNs as Step Functions forms them:
 *   arn:aws:states:<region>:<account>:stateMachine:<name>[:<version>]
 *   arn:aws:states:<region>:<account>:execution:<machine>:<name>
 *   arn:aws:states:<region>:<account>:express:<machine>:<name>:<uuid>
 *   arn:aws:states:<region>:<account>:activity:<name>
 */
export type ResourceType = 'stateMachine' | 'execution' | 'express' | 'activity';

// whitespace, brackets, wildcards, special characters
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

function hasControl(name: string): boolean {
  for (const c of name) {
    const n = c.charCodeAt(0);
    if (n <= 0x1f || (n >= 0x7f && n <= 0x9f)) return true;
  }
  return false;
}

/** State machine, execution and activity names: 1–80 characters, none of AWS's forbidden ones. */
export function checkName(name: string | undefined, max = 80): string {
  if (name === undefined || name.length === 0 || name.length > max || FORBIDDEN.test(name) || hasControl(name)) {
    throw statesError('InvalidName', `Invalid Name: '${name ?? ''}'`);
  }
  return name;
}

export function machineArn(scope: AccountScope, name: string): string {
  return formatArn(scope, 'states', `stateMachine:${name}`);
}

export function executionArn(scope: AccountScope, machine: string, name: string): string {
  return formatArn(scope, 'states', `execution:${machine}:${name}`);
}

export function expressExecutionArn(scope: AccountScope, machine: string, name: string, uuid: string): string {
  return formatArn(scope, 'states', `express:${machine}:${name}:${uuid}`);
}

export function activityArn(scope: AccountScope, name: string): string {
  return formatArn(scope, 'states', `activity:${name}`);
}

export interface ParsedArn {
  type: ResourceType;
  /** The resource part after the type, split on ':'. */
  parts: string[];
}

/** Parses a Step Functions ARN of one of the `allowed` types, else InvalidArn (AWS's wording). */
export function parseStatesArn(arn: string | undefined, allowed: readonly ResourceType[]): ParsedArn {
  const p = parseArn(arn ?? '');
  if (!p || p.service !== 'states') throw statesError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${arn ?? ''}'`);
  const [type, ...parts] = p.resource.split(':');
  if (!allowed.includes(type as ResourceType)) {
    throw statesError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${type ?? ''}'`);
  }
  if (parts.length === 0 || parts.some((x) => x === '')) throw statesError('InvalidArn', `Invalid Arn: '${arn ?? ''}'`);
  return { type: type as ResourceType, parts };
}

/** A state machine ARN, possibly qualified with a version number. */
export function parseMachineArn(arn: string | undefined): { base: string; name: string; version?: number | undefined } {
  const { parts } = parseStatesArn(arn, ['stateMachine']);
  const [name, qualifier] = parts as [string, string | undefined];
  if (parts.length > 2) throw statesError('InvalidArn', `Invalid Arn: '${arn ?? ''}'`);
  if (qualifier !== undefined && !/^\d+$/.test(qualifier)) {
    throw statesError('InvalidArn', `Invalid Arn: 'skiff does not support state machine aliases: ${arn ?? ''}'`);
  }
  const base = (arn ?? '').split(':').slice(0, 7).join(':');
  return { base, name, version: qualifier === undefined ? undefined : Number(qualifier) };
}
