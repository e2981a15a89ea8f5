// A tenant's sync settings and their decider.
export * from './sync-settings.js';
