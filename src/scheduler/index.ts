export { TaskRunner, type TaskRunnerDeps } from './tasks/runner.js';
export type { TaskLogSink } from './tasks/log-pump.js';
export { planTask, type Step } from './tasks/plan.js';
