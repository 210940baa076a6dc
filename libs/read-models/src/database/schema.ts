// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's entity/migration list type
type Constructor = Function;

/** Read-model entities; the projections issue fills these in. */
export const readModelEntities: Constructor[] = [];

/** Read-model migrations, in the order they must run. */
export const readModelMigrations: Constructor[] = [];
