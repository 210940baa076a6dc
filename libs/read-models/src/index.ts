export { createDataSource, runMigrations } from './database/data-source';
export type { DatabaseOptions } from './database/data-source';
