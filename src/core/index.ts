export * from './errors.js';
export * from './clock.js';
export * from './ids.js';
export * from './arns.js';
export * from './logger.js';
export * from './config.js';
export * from './paging.js';
export * from './schedule/index.js';
