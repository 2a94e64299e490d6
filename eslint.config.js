import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'gateway/dist/', 'storybook-static/', 'node_modules/', 'coverage/', 'bench/.cache/'] },
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
    // The gateway (its own package, gateway/) runs in Node; it logs through its structured logger,
    // never the console.
    files: ['gateway/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The gateway's package bundles the code of src/ it imports (gateway/dist/), and ships with
    // `ws` and `prom-client` only: the core, the protocol and the version, never Lit or an element.
    files: ['gateway/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['lit', 'lit/*', '@lit/*', 'gym-realtime-widgets', 'gym-realtime-widgets/*', '**/src/elements/**', '**/src/events/**', '**/src/index.js', '**/src/elements.js', '**/src/cdn.js', '**/src/upgrade.js'],
              message: 'The gateway imports only src/core, src/protocol and src/version.ts: its package ships without Lit.',
            },
          ],
        },
      ],
    },
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
