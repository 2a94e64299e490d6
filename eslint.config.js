import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'storybook-static/', 'node_modules/', 'coverage/', 'bench/.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  lit.configs['flat/recommended'],
  wc.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // With noUncheckedIndexedAccess, `!` marks places where an index is known to exist.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The core stays framework-free (usable without any element) and runs in browsers: no Node
    // module, none of the gateway's packages, and nothing from the gateway.
    files: ['src/core/**', 'src/protocol/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['lit', 'lit/*', '@lit/*'], message: 'src/core and src/protocol must not import Lit.' },
            { group: ['node:*', 'ws', 'jose', 'prom-client', '**/gateway/**'], message: 'src/core and src/protocol run in browsers: no Node modules, no gateway.' },
          ],
        },
      ],
    },
  },
  {
    // Browser code never pulls in the Node-only gateway or its packages.
    files: ['src/elements/**', 'src/events/**', 'src/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'ws', 'jose', 'prom-client', '**/gateway/**'], message: 'Browser code must not import the Node-only gateway or its packages.' }] }],
    },
  },
  {
    // The gateway runs in Node; it logs through its structured logger, never the console.
    files: ['src/gateway/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['test/**'],
    languageOptions: { globals: { ...globals.mocha } },
  },
  {
    // Node-side code: the local gym server, test-runner plumbing, scripts, benchmarks.
    files: ['demo/server/**', 'test/node/**', 'test/server/**', 'test/gateway/**', 'test/abuse/**', 'test/e2e/**', 'test/static/**', 'scripts/**', 'bench/**', '*.config.{js,mjs,ts}'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off' },
  },
);
