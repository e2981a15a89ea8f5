export * from './configuration-error.js';
export * from './env.js';
export * from './database-readiness.js';
export * from './logger.js';
export * from './run-service.js';
