// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The layer rule of DESIGN.md §1: imports go one way. */
const hostDirs = ['main', 'preload', 'renderer', 'cli', 'server'];
const brainRestrictions = {
  paths: [{ name: 'electron', message: 'src/brain is a pure library: hosts own electron.' }],
  patterns: [
    { group: ['electron/*'], message: 'src/brain is a pure library: hosts own electron.' },
    {
      group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'zustand/*'],
      message: 'src/brain never imports UI code.',
    },
    ...hostDirs.map((dir) => ({
      group: [`**/${dir}/**`, `**/${dir}`],
      message: `src/brain never imports src/${dir}.`,
    })),
  ],
};
const rendererRestrictions = {
  patterns: [
    { group: ['node:*'], message: 'The renderer runs sandboxed: no node:* modules; ask the brain through api.ts.' },
    { group: ['**/brain/**', '**/brain'], message: 'The renderer talks to the brain only through api.ts.' },
    { group: ['electron', 'electron/*'], message: 'The renderer reaches Electron only through window.mai.' },
    {
      group: ['**/main/**', '**/server/**', '**/cli/**', '**/preload/**'],
      message: 'The renderer imports no host code.',
    },
  ],
};
const sharedRestrictions = {
  patterns: [
    {
      group: ['node:*', 'electron', 'react', 'react-dom'],
      message: 'src/shared is used by every side: no node, electron or react.',
    },
    {
      group: ['**/brain/**', '**/main/**', '**/renderer/**', '**/server/**', '**/cli/**', '**/preload/**'],
      message: 'src/shared imports nothing of the app.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: ['out/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.test-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/brain/**/*.ts'], rules: { 'no-restricted-imports': ['error', brainRestrictions] } },
  { files: ['src/shared/**/*.ts'], rules: { 'no-restricted-imports': ['error', sharedRestrictions] } },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, 'no-restricted-imports': ['error', rendererRestrictions] },
  },
  prettier,
);
