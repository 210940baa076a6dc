// Test tiers are chosen by file suffix, each a Jest project with its own script:
// unit (pure, no I/O), int (real PostgreSQL), e2e (HTTP through the Nest app + real PostgreSQL).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const shared = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  moduleNameMapper: {
    '^@newsroom/domain$': '<rootDir>/libs/domain/src',
    '^@newsroom/event-store$': '<rootDir>/libs/event-store/src',
    '^@newsroom/read-models$': '<rootDir>/libs/read-models/src',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
    { ...shared, displayName: 'int', testMatch: ['<rootDir>/**/*.int.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/**/*.e2e.spec.ts'] },
  ],
};
