export { Edge, readBody, type RawHandler, type RawProtocol, type EdgeOptions } from './edge.js';
export { AuthFailure, type CredentialsAuthority, type Principal } from './auth.js';
export type { Handler, JsonService, JsonProtocol, RequestContext } from './service.js';
export { credentialScopeOf, parseAmzDate, parseCredential, type CredentialScope } from './sigv4.js';
export { serializeJson, parseJsonBody } from './json-protocol.js';
export * from './shape.js';
