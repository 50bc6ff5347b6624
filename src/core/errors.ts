/**
 * The base of every error a client can see. Domain code throws subclasses (or
 * `AwsError` with a code from its service's registry); the API edge is the one
 * place that turns them into the wire shape of the protocol in use.
 */
export interface AwsErrorSpec {
  /** The error code clients match on, e.g. `ClientException`. */
  readonly code: string;
  /** HTTP status sent with it. */
  readonly httpStatus: number;
  /** true for the caller's fault (4xx), false for ours (5xx). */
  readonly senderFault: boolean;
}

export class AwsError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly senderFault: boolean;

  constructor(spec: AwsErrorSpec, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = spec.code;
    this.code = spec.code;
    this.httpStatus = spec.httpStatus;
    this.senderFault = spec.senderFault;
  }
}

/** Declares an error spec; services keep theirs in one registry (`<service>/errors.ts`). */
export function clientError(code: string, httpStatus = 400): AwsErrorSpec {
  return { code, httpStatus, senderFault: true };
}

export function serverError(code: string, httpStatus = 500): AwsErrorSpec {
  return { code, httpStatus, senderFault: false };
}

/** The constructor of a service's errors: `ecsError('ClientException', '...')` for its registry's codes. */
export function errorsOf<K extends string>(registry: Readonly<Record<K, AwsErrorSpec>>): (code: K, message: string) => AwsError {
  return (code, message) => new AwsError(registry[code], message);
}

/** Errors every protocol shares, raised by the edge before a service sees the request. */
export const CommonErrors = {
  SerializationException: clientError('SerializationException'),
  UnknownOperationException: clientError('UnknownOperationException'),
  RequestEntityTooLargeException: clientError('RequestEntityTooLargeException', 413),
  InternalFailure: serverError('InternalFailure'),
  MissingAuthenticationTokenException: clientError('MissingAuthenticationTokenException', 403),
} as const satisfies Record<string, AwsErrorSpec>;

export function isAwsError(err: unknown): err is AwsError {
  return err instanceof AwsError;
}
