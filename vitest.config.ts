import { defineConfig } from 'vitest/config';

// Suites talk to real Prism processes and loopback servers: give them room, never assert wall-clock limits.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'suites/**/*.suite.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
