import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Responses remembered per Idempotency-Key, so a retried write is answered from here instead of
 * being applied twice. Lives in PostgreSQL (not in memory) so keys survive a restart and are
 * shared by every API replica.
 */
export class CreateApiIdempotencyKeys1764000100000 implements MigrationInterface {
  name = 'CreateApiIdempotencyKeys1764000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS api`);
    await queryRunner.query(`
      CREATE TABLE api.idempotency_keys (
        principal        text        NOT NULL,
        key              text        NOT NULL,
        request_hash     text        NOT NULL,
        state            text        NOT NULL,
        response_status  integer,
        response_headers jsonb,
        response_body    jsonb,
        created_at       timestamptz NOT NULL DEFAULT now(),
        lease_expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_keys_pk PRIMARY KEY (principal, key),
        CONSTRAINT idempotency_keys_state_ck CHECK (state IN ('in_progress', 'completed'))
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_keys_created_at_idx ON api.idempotency_keys (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS api.idempotency_keys`);
  }
}
