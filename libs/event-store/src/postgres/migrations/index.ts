// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's migration list type
export const postgresEventStoreMigrations: Function[] = [];
