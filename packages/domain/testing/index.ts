// Test support for the domain's deciders (vitest only; never imported by src).
export * from './decider-specification.js';
