export { DataPlane, type PlaneDeps, type HealthListener } from './plane.js';
export { PortUnavailableError } from './port-server.js';
export type { TargetRuntime, TargetCounters } from './target.js';
export type { TargetGroupRuntime } from './target-group.js';
export type { HealthState, HealthReason, TargetHealth } from './health-state.js';
export { realTimers, httpProbe, type Timers, type Probe } from './health-check.js';
export { targetKey } from './config.js';
export type * from './config.js';
