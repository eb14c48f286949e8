// Lint rules that carry the architecture: the lines in docs/architecture.md are enforced here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureCore = {
  patterns: [
    { group: ['node:*', '@kubernetes/*', 'pino', 'undici', 'fastify', 'prom-client'], message: 'model/ and diff/ are pure: no I/O, clients or loggers.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.cache/**', 'bench/results/**', 'deploy/**', 'charts/**/templates/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['proxy-core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/controller/**'], message: 'proxy-core never imports the controller.' },
        { group: ['@kubernetes/*'], message: 'proxy-core holds no Kubernetes credentials or client.' },
      ] }],
    },
  },
  {
    files: ['controller/src/model/**/*.ts', 'controller/src/diff/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', pureCore] },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
