// The container environment's agent: the task metadata endpoint containers reach through
// ECS_CONTAINER_METADATA_URI_V4 / ECS_CONTAINER_METADATA_URI. See README.md.
export { AgentServer, type AgentServerDeps, type AgentAddress } from './server.js';
export { loadAgentSecret } from './tokens.js';
export { containerMetadata, taskMetadata, type MetadataOptions, type RuntimeView } from './metadata.js';
export type { ContainerMetadata, TaskMetadata, MetadataVersion } from './shapes.js';
