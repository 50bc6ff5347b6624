export { TaskRunner, type TaskRunnerDeps } from './tasks/runner.js';
export type { TaskLogSink } from './tasks/log-pump.js';
export { planTask, type Step } from './tasks/plan.js';
export { ServiceScheduler, targetOf, type ServiceLoadBalancerPort, type ServiceTaskPort, type TargetRef } from './services/scheduler.js';
export { planService, circuitBreakerThreshold, type ServiceAction } from './services/plan.js';
