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
// What the desk's browser modules may use without importing it (eslint's no-undef checks the rest).
const browserGlobals = [
  'AbortController',
  'clearInterval',
  'clearTimeout',
  'console',
  'document',
  'fetch',
  'location',
  'sessionStorage',
  'setInterval',
  'setTimeout',
  'TextDecoderStream',
  'URLSearchParams',
  'window',
];

// Packages that do I/O: never in workflow or domain code.
const ioPackages = [
  'twilio',
  'nodemailer',
  'fastify',
  'kysely',
  'better-sqlite3',
  'pg',
  'dotenv',
  'commander',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];

/** `no-restricted-imports` options: no Node built-ins, no I/O packages, and the `extra` paths. */
function noIo(who, extra = []) {
  return {
    paths: [
      ...[...nodeBuiltins, ...nodeBuiltins.map((m) => `node:${m}`), ...ioPackages].map((name) => ({
        name,
        message: `${who} does no I/O: move this to an activity.`,
      })),
      ...extra,
    ],
    patterns: [{ group: ['node:*'], message: `No Node built-ins in ${who.toLowerCase()}.` }],
  };
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.cache/',
      'data/',
      'coverage/',
      '**/*.js',
      '**/*.mjs',
      // The agent desk's pages run these in the browser as they are: lint them (below).
      '!api/desk/static/*.js',
    ],
  },
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
    // Workflow code must stay deterministic: no Node built-ins, no I/O packages, and no luxon — it would
    // add ~70 KB of heap to every cached run for what Intl already answers (docs/zone-arithmetic.md).
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        noIo('Workflow code', [
          {
            name: 'luxon',
            message:
              'Workflow code keeps luxon out of its bundle: zone arithmetic runs in an activity (docs/zone-arithmetic.md).',
          },
        ]),
      ],
      // zod would be evaluated again for every cached run: inputs are parsed by a local activity, update
      // schemas load lazily (docs/architecture.md); types from zod are fine. The bundle test checks the
      // domain modules workflows import on the real bundle (test/unit/worker/workflow-bundle.test.ts).
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zod',
              allowTypeImports: true,
              message:
                'Workflow code imports zod only as types: a schema in the bundle is evaluated for every cached run.',
            },
          ],
        },
      ],
    },
  },
  {
    // Domain rules are pure. They may use luxon for calendar arithmetic in a zone, but never the clock
    // or the machine's zone (DateTime.now/local, Settings); workflows import only the luxon-free
    // modules, which test/unit/worker/workflow-bundle.test.ts checks on the real bundle.
    files: ['domain/**/*.ts'],
    // The customer key hashes with node:crypto (no I/O, no clock); workflows get the key in their input.
    ignores: ['domain/customer-key.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        noIo('Domain code', [
          {
            name: 'luxon',
            importNames: ['Settings'],
            message: 'Domain code never changes luxon settings: pass the zone and the instant in.',
          },
        ]),
      ],
      'no-restricted-properties': [
        'error',
        ...['now', 'local'].map((property) => ({
          object: 'DateTime',
          property,
          message:
            'Domain code reads no clock and no machine zone: take the instant and the zone as arguments.',
        })),
      ],
    },
  },
  {
    // The agent desk's browser modules: plain ES modules, no build step, no type information.
    files: ['api/desk/static/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'module',
      ecmaVersion: 2022,
      parserOptions: { projectService: false },
      globals: Object.fromEntries(browserGlobals.map((name) => [name, 'readonly'])),
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-floating-promises': 'off',
      // The pages share only what they import from desk-common.js: no other globals.
      'no-undef': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
);
