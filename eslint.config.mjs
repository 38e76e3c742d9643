import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];
// Packages that do I/O or read the clock/zone database at run time: never in a workflow.
const ioPackages = [
  'twilio',
  'nodemailer',
  'fastify',
  'kysely',
  'better-sqlite3',
  'pg',
  'luxon',
  'dotenv',
  'commander',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.cache/', 'data/', 'coverage/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code must stay deterministic: no Node built-ins, no I/O packages.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    // The customer key hashes with node:crypto (no I/O); workflows get the key in their input.
    ignores: ['domain/customer-key.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...nodeBuiltins.map((m) => `node:${m}`), ...ioPackages].map((name) => ({
            name,
            message: 'Workflow and domain code does no I/O: move this to an activity.',
          })),
          patterns: [{ group: ['node:*'], message: 'No Node built-ins in workflow or domain code.' }],
        },
      ],
    },
  },
);
