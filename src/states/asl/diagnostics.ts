/**
 * Validation findings, with the codes and wording ValidateStateMachineDefinition uses
 * (SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, ...) and a JSON-pointer-like
 * location such as `/States/A/Next`.
 */
export interface Diagnostic {
  readonly severity: 'ERROR' | 'WARNING';
  readonly code: string;
  readonly message: string;
  readonly location: string;
}

export class Diagnostics {
  readonly list: Diagnostic[] = [];

  error(code: string, message: string, location: string): void {
    this.list.push({ severity: 'ERROR', code, message, location });
  }

  schema(message: string, location: string): void {
    this.error('SCHEMA_VALIDATION_FAILED', message, location);
  }

  warn(code: string, message: string, location: string): void {
    this.list.push({ severity: 'WARNING', code, message, location });
  }

  get errors(): Diagnostic[] {
    return this.list.filter((d) => d.severity === 'ERROR');
  }
}

/** `'CODE: message at /location'`, as AWS words each finding inside InvalidDefinition. */
export function describeDiagnostic(d: Diagnostic): string {
  return `${d.code}: ${d.message} at ${d.location === '' ? '/' : d.location}`;
}

/** The InvalidDefinition message for a set of errors. */
export function invalidDefinitionMessage(errors: readonly Diagnostic[]): string {
  return `Invalid State Machine Definition: ${errors.map((d) => `'${describeDiagnostic(d)}'`).join(', ')}`;
}
