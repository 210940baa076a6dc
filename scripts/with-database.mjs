// @ts-check
// `node scripts/with-database.mjs <command> [args...]`: runs the command with DATABASE_URL set,
// starting an embedded PostgreSQL for the duration when none is given.
import { spawn } from 'node:child_process';
import { ensureDatabase } from './lib/embedded-database.mjs';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-database.mjs <command> [args...]');
  process.exit(2);
}

const db = await ensureDatabase({
  name: 'test-postgres',
  port: Number(process.env.EMBEDDED_PG_PORT ?? 25433),
  database: 'postgres',
});
if (!db.embedded) console.log('Using the PostgreSQL at DATABASE_URL.');

const bin = command === 'jest' ? 'node_modules/.bin/jest' : command;
const child = spawn(bin, args, { stdio: 'inherit', env: { ...process.env, DATABASE_URL: db.url } });
const forward = (/** @type {NodeJS.Signals} */ signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', async (code, signal) => {
  await db.stop();
  process.exit(code ?? (signal ? 1 : 0));
});
