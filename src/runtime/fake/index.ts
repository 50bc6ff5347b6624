export { FakeDriver, type FakeDriverOptions } from './driver.js';
export { ManualTimers, realTimers, type TimerHandle, type Timers } from './timers.js';
export { parseFakeScript, type FakeScript, type ScriptedLine } from './script.js';
export { FAKE_HOST_MEMORY_BYTES } from './stats.js';
export { EPHEMERAL_FIRST, EPHEMERAL_LAST } from './ports.js';
