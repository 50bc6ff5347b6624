// The runtime capability's narrow entry point. The conformance suite (conformance.ts)
// is deliberately not exported: it imports vitest, and only test files import it.
export * from './contract.js';
export { FakeDriver, ManualTimers, realTimers, type FakeDriverOptions, type Timers, type TimerHandle } from './fake/index.js';
