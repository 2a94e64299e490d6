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
    // The core stays framework-free: usable without any element.
    files: ['src/core/**', 'src/protocol/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['lit', 'lit/*', '@lit/*'], message: 'src/core and src/protocol must not import Lit.' }] }],
    },
  },
  {
    files: ['test/**'],
    languageOptions: { globals: { ...globals.mocha } },
  },
  {
    // Node-side code: the local gym server, test-runner plumbing, scripts, benchmarks.
    files: ['demo/server/**', 'test/node/**', 'test/server/**', 'test/e2e/**', 'test/static/**', 'scripts/**', 'bench/**', '*.config.{js,mjs,ts}'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off' },
  },
);
