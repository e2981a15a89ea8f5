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
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
