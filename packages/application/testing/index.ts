// Test support for specs that drive streams through the application's write path (vitest only).
export * from './stream-commands.js';
