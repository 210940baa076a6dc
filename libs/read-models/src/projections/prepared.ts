import { createHash } from 'node:crypto';
import { type Queryable } from './queryable';
import { type Statement } from './statement';

/** The part of a node-postgres client this needs. */
interface PgClient {
  query(config: { readonly name: string; readonly text: string; readonly values: unknown[] }): Promise<unknown>;
}

/** A TypeORM EntityManager inside a transaction: its QueryRunner holds the connection. */
interface WithQueryRunner {
  readonly queryRunner?: { connect(): Promise<unknown> };
}

const isPgClient = (value: unknown): value is PgClient =>
  typeof value === 'object' && value !== null && typeof (value as { query?: unknown }).query === 'function';

/** Statement names by SQL text: a batch's statement takes one of a few hundred shapes (which tables it writes). */
const names = new Map<string, string>();
const MAX_NAMES = 4_096;

function nameOf(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    if (names.size >= MAX_NAMES) names.clear();
    name = `read-models-${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * Runs `statement` as a named prepared statement on the connection under `tx` (a TypeORM
 * EntityManager in a transaction), so PostgreSQL parses and plans each shape of it once per
 * connection instead of on every call; through `tx.query` otherwise (a bare QueryRunner, a
 * DataSource). The name is a digest of the SQL, so the same text always has the same name and a
 * different text never meets another's plan. node-postgres remembers which names each connection
 * has prepared. After DDL on a table it reads (a rebuild's swap renames schemas), PostgreSQL
 * parses the statement again by itself.
 */
export async function queryPrepared(tx: Queryable, statement: Statement): Promise<void> {
  const client = await (tx as WithQueryRunner).queryRunner?.connect();
  if (isPgClient(client)) {
    await client.query({ name: nameOf(statement.sql), text: statement.sql, values: [...statement.parameters] });
    return;
  }
  await tx.query(statement.sql, [...statement.parameters]);
}
