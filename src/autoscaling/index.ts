export { createAutoscaling, type Autoscaling } from './provider.js';
export type { AutoscalingDeps, Limits } from './context.js';
export type { EvaluationSettings } from './eval-types.js';
export type { MetricsSource, PredefinedMetric, ScalableServices, ScalableServiceState } from './ports.js';
export { PREDEFINED_METRICS } from './ports.js';
export { AutoscalingErrors, type AutoscalingErrorCode } from './errors.js';
export { parseEcsResourceId } from './names.js';
