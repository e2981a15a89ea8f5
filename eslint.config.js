// Lint for the whole monorepo. The domain block is part of the dependency rule: the domain reads no clock,
// draws no randomness and touches no process state, so deciders stay pure and replayable.
import tseslint from 'typescript-eslint';

const impure = 'packages/domain is pure: time and ids come in through commands';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', 'coverage/**', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/domain/src/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: impure },
        { name: 'setInterval', message: impure },
        { name: 'setImmediate', message: impure },
        { name: 'process', message: impure },
        { name: 'crypto', message: impure },
        { name: 'fetch', message: impure },
        { name: 'performance', message: impure },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: `Date.now(): ${impure}` },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: `new Date(): ${impure}` },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: `Math.random(): ${impure}` },
        { selector: "MemberExpression[object.name='performance'][property.name='now']", message: `performance.now(): ${impure}` },
      ],
    },
  },
);
