import { ecsError } from '../errors.js';

/**
 * RegisterTaskDefinition answers nearly every validation failure with
 * ClientException (AWS's own texts are quoted where known); tags and a blank task
 * cpu are InvalidParameterException.
 */
export function clientFail(message: string): never {
  throw ecsError('ClientException', message);
}

export function invalidParameter(message: string): never {
  throw ecsError('InvalidParameterException', message);
}

/** Fails unless `value` (when given) is one of `allowed`. `what` names the field for the message. */
export function checkEnum(value: string | undefined, allowed: readonly string[], what: string): void {
  if (value === undefined || allowed.includes(value)) return;
  clientFail(`Invalid value '${value}' for ${what}. Valid values: ${allowed.join(', ')}.`);
}
