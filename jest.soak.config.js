/**
 * The seeded contact-centre simulation (test/simulation/) alone, on the time-skipping server with
 * the integration tests' global setup: `npm run simulate` plays the default life (also part of
 * `npm test`), `npm run soak` longer lives with fresh seeds (see README, Tests).
 */
const base = require('./jest.config.js');
const integration = base.projects.find((project) => project.displayName === 'integration');

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 3_600_000,
  reporters: base.reporters,
  projects: [
    { ...integration, displayName: 'simulation', testMatch: ['<rootDir>/test/simulation/**/*.sim.ts'] },
  ],
};
