// Lint: typescript-eslint's recommended rules, no import cycles, and the layers — the plain-Node core
// and shared code never load Electron at run time, and the sandboxed renderer never loads Node modules.
// Formatting is Prettier's (npm run format); eslint-config-prettier turns off rules it owns.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', '.bench-cache/**', '.test-dc/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Refusing control characters in names and filters is what those expressions are for.
      'no-control-regex': 'off',
    },
  },
  {
    // The users database's seam is asynchronous: a promise left unawaited is a write that may fail unseen (or
    // take the process down) after the caller has moved on; in a benchmark, a figure measured on work that has
    // not finished. Type-aware, so only where it matters.
    files: ['electron/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    files: ['electron/core/**', 'shared/**', 'renderer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              allowTypeImports: true,
              message: 'Only the Electron glue (electron/*.ts) loads Electron: this code must run under plain Node.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*'],
              message: 'The renderer runs sandboxed in the page: it talks to the core through the contract only.',
            },
          ],
        },
      ],
    },
  },
  prettier,
  // After Prettier's config, which turns max-len off: Prettier wraps code at 120 but not strings or comments.
  // Long regular expressions stay whole.
  { rules: { 'max-len': ['error', { code: 120, ignoreRegExpLiterals: true, ignoreUrls: true }] } },
);
