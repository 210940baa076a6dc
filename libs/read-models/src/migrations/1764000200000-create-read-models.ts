import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { READ_MODEL_SCHEMA, readModelDdl } from '../schema/read-model.ddl';

/** The story read models (current state, revisions, developments, claims, sources, corrections, audit) and the projector's checkpoint. */
export class CreateReadModels1764000200000 implements MigrationInterface {
  name = 'CreateReadModels1764000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of readModelDdl(READ_MODEL_SCHEMA)) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA IF EXISTS ${READ_MODEL_SCHEMA} CASCADE`);
  }
}
