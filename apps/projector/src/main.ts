import 'reflect-metadata';
import { createPostgresEventStore } from '@newsroom/event-store';

/**
 * Thin for now: follows the whole log with the catch-up subscription and reports progress.
 * The read-model projections and their transactional checkpoint are not built yet (see README).
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const store = createPostgresEventStore({ url, applicationName: 'newsroom-projector' });
  await store.headPosition();
  const subscription = store.subscribeToAll({ fromPosition: 'start' });
  const stop = (): void => void subscription.close().then(() => store.close());
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log(JSON.stringify({ level: 'info', service: 'projector', msg: 'following the event log' }));
  let seen = 0;
  for await (const event of subscription) {
    seen += 1;
    if (seen % 1000 === 0) {
      console.log(JSON.stringify({ level: 'info', service: 'projector', msg: 'progress', seen, position: event.position.prepare.toString() }));
    }
  }
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', service: 'projector', msg: 'projector failed', error: error instanceof Error ? error.message : String(error) }));
  process.exit(1);
});
