/** Jest runs ts-jest in ESM mode. `unit`: pure and marble tests. `integration`: a real local Kafka broker and real HTTP servers on 127.0.0.1. `faults`: the fault suite (short unless FAULT_SCALE=full). */

// Tests run the source being edited, not the last build: `kafka-http-sink` (a pipeline's import) maps to src/, and
// every `bin/kafka-http-sink.mjs` a test spawns runs src/ through tsx. test/integration/dist.test.ts alone runs dist/.
process.env.KAFKA_HTTP_SINK_FROM_SOURCE ??= '1';
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1', '^kafka-http-sink$': '<rootDir>/src/index.ts' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // Caches that hold other copies of the project (Node 24's checkout, Connect's jars) are not part of the module map.
  modulePathIgnorePatterns: ['<rootDir>/.node/', '<rootDir>/.conformance/', '<rootDir>/.kafka/'],
};

export default {
  testTimeout: 120_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/security/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
    {
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
  ],
};
