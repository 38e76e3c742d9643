/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  // isolatedModules (tsconfig) makes ts-jest transpile only; `npm run typecheck` checks types.
  transform: { '^.+\\.ts$': 'ts-jest' },
};

module.exports = {
  // Two cores: two test files at a time keeps the shared Temporal dev server responsive.
  maxWorkers: 2,
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/harness/summary-reporter.js'],
  projects: [
    // Pure code: no server, no network.
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    // Real Temporal: one dev server per run (global setup), time-skipping servers per file.
    {
      ...common,
      displayName: 'integration',
      // The seeded contact-centre life (test/simulation/) with its default seed: issue 11's proof.
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/simulation/**/*.sim.ts'],
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
    },
  ],
};
