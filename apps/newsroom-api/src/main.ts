import 'reflect-metadata';
import { loadConfig } from './config/newsroom-config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');
  console.log(JSON.stringify({ level: 'info', msg: 'newsroom-api listening', port: config.port }));
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', msg: 'newsroom-api failed to start', error: error instanceof Error ? error.message : String(error) }));
  process.exit(1);
});
