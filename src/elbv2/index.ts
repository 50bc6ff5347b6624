export { createElbv2, type Elbv2, type Elbv2Targets, type Elbv2Metrics, type TargetView, type TargetGroupView } from './elbv2.js';
export type { Elbv2Deps } from './context.js';
export { Elbv2Errors, elbError, type Elbv2ErrorCode } from './errors.js';
export { ELBV2_SIGNING_NAME, ELBV2_NAMESPACE, ELBV2_VERSION } from './provider.js';
