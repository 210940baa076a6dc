export { createDataSource, runMigrations } from './database/data-source';
export type { DatabaseOptions } from './database/data-source';
export { assertSchemaName, READ_MODEL_SCHEMA, readModelDdl, readModelIndexDdl, readModelTableDdl } from './schema/read-model.ddl';
export * from './story-snapshot';
export * from './projections';
export * from './projector';
