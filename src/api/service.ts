import type { AccountScope } from '../core/index.js';
import type { Principal } from './auth.js';

/** What a handler knows about the request beyond its input. */
export interface RequestContext extends AccountScope {
  readonly requestId: string;
  /** The service name from the SigV4 credential scope, when the request was signed. */
  readonly signingService: string | undefined;
  /** The access key id from the SigV4 credential scope, when the request was signed. */
  readonly accessKeyId: string | undefined;
  /** Who signed the request, when it was signed with credentials Skiff issued and the signature checked out. */
  principal?: Principal | undefined;
}

export type Handler = (input: Record<string, unknown>, ctx: RequestContext) => unknown;

export type JsonProtocol = 'awsJson1_0' | 'awsJson1_1';

/** One AWS service served by the edge, through its operation table. */
export interface JsonService {
  readonly protocol: JsonProtocol;
  /** Name used in the SigV4 credential scope, e.g. `ecs`. */
  readonly signingName: string;
  /** Prefix of `X-Amz-Target`, e.g. `AmazonEC2ContainerServiceV20141113`. */
  readonly targetPrefix: string;
  /** The modelled server fault of this service (`ServerException` for ECS). */
  readonly serverErrorCode: string;
  readonly operations: Readonly<Record<string, Handler>>;
}

export const JSON_CONTENT_TYPES: Record<JsonProtocol, string> = {
  awsJson1_0: 'application/x-amz-json-1.0',
  awsJson1_1: 'application/x-amz-json-1.1',
};
