import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Each tree gets the globals of the runtime it runs in, as tsconfig.<tree>.json gives it the
 * types: src/core none beyond the language (it runs everywhere), the worker a worker's, the UI a
 * browser's, the Node tree Node's; the tests drive both Node and a browser. Who may import whom is
 * checked by dependency-cruiser (.dependency-cruiser.cjs, `npm run lint:layers`).
 */
const NODE_TREE = [
  'server/**',
  'src/node/**',
  'src/cli/**',
  'training/**',
  'bin/**',
  'scripts/**',
  '*.config.{js,ts,cjs,mjs}',
  '.dependency-cruiser.cjs',
];

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'public',
      'test-results',
      'playwright-report',
      'training/data',
      '.tsbuild',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['src/core/**'], languageOptions: { globals: {} } },
  { files: ['workers/**'], languageOptions: { globals: globals.worker } },
  {
    files: ['src/**'],
    ignores: ['src/core/**', 'src/node/**', 'src/cli/**'],
    languageOptions: { globals: globals.browser },
  },
  { files: NODE_TREE, languageOptions: { globals: globals.node } },
  {
    files: ['tests/**', 'e2e/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
);
