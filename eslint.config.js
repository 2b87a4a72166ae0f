// Lint runs in CI (npm test). typescript-eslint's recommended set plus a few rules that catch
// the mistakes that matter on an appliance: floating promises would swallow device errors.
// eslint-plugin-import-x (the maintained fork of eslint-plugin-import, flat-config native) keeps
// the house in order: no import cycles, product code never reaches into the test harness, and
// matcher/ stays pure.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tap/**', 'out/**', 'dist/**', 'var/**', '**/*.js', '!eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/extensions': ['.ts', '.js'], 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Type-only cycles count too: they are the same tangle for a reader.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: ['./agent', './drivers', './matcher'],
              from: ['./test', './scripts'],
              message: 'Product code (agent/, drivers/, matcher/) must not import the test harness or dev scripts.',
            },
            {
              target: './matcher',
              from: ['./agent', './drivers', './scripts', './test', './bin'],
              message: 'matcher/ is pure: it imports only itself.',
            },
          ],
        },
      ],
    },
  },
  {
    // The ledger's SQLite handle belongs to agent/ledger/ (and the ledger's own tests); other
    // owners use Ledger's methods or their own tables (issue 18).
    files: ['**/*.ts'],
    ignores: ['agent/ledger/**', 'test/agent/ledger/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)ledger/ledger\\.ts$',
              importNames: ['ledgerDatabase'],
              message: "The ledger's database handle is for agent/ledger/ only: add a Ledger method instead.",
            },
          ],
        },
      ],
    },
  },
  {
    // tap tracks its own subtests: t.test() need not be awaited inside a parent test.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
);
