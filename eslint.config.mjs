// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from './eslint.boundaries.cjs';

const { domainBoundary, libraryEntryPoints } = boundaries;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      // Nest and TypeORM decorate classes whose constructor parameter types must stay value imports
      // for emitDecoratorMetadata; consistent-type-imports knows about that through this option.
    },
  },
  {
    // Nest injects by the runtime type of constructor parameters, so those imports must stay values.
    files: ['apps/**/*.ts', 'libs/read-models/**/*.ts'],
    languageOptions: {
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
  },
  {
    files: ['**/*.spec.ts', 'tests/**/*.ts'],
    rules: {
      // Jest's expect(...).rejects and mocks produce patterns the strict unsafe-* rules misread.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // supertest types every response body as `any`: e2e specs read it to assert on it, which is
    // exactly what these rules would forbid. Production code keeps them.
    files: ['**/*.e2e.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  domainBoundary,
  libraryEntryPoints,
);
