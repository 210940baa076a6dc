/** Anything that runs SQL: a TypeORM EntityManager inside a transaction, a QueryRunner, a DataSource. */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}
