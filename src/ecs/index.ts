export { createEcsProvider, type EcsProvider } from './provider.js';
export { EcsErrors, ecsError, type EcsErrorCode } from './errors.js';
export type { EcsDeps } from './context.js';
export { parseTaskCpu, parseTaskMemory, startOrder } from './task-definitions/validate.js';
export { addEvent, newDeployment, nextDeploymentId } from './services/deployments.js';
