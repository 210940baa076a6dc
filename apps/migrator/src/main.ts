import 'reflect-metadata';
import { runMigrations } from '@newsroom/read-models';

/** One-shot step: applies every pending migration (event store and read models) and exits. */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const started = Date.now();
  await runMigrations(url);
  console.log(JSON.stringify({ level: 'info', msg: 'migrations applied', ms: Date.now() - started }));
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', msg: 'migrations failed', error: error instanceof Error ? error.message : String(error) }));
  process.exit(1);
});
