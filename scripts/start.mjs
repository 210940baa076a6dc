// @ts-check
// `npm start`: the whole system on one machine. Uses DATABASE_URL when set, otherwise starts an
// embedded PostgreSQL (data in .data/postgres), applies migrations, then runs the API and the
// projector as two processes, the way they run in production. Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import { ensureDatabase } from './lib/embedded-database.mjs';
import { ensureTokens } from './lib/tokens.mjs';

/** @param {string} msg @param {Record<string, unknown>} [fields] */
const log = (msg, fields = {}) => console.log(JSON.stringify({ level: 'info', service: 'launcher', msg, ...fields }));

const db = await ensureDatabase({
  name: 'postgres',
  port: Number(process.env.EMBEDDED_PG_PORT ?? 25432),
  log: (line) => log(line),
});
const env = { ...process.env, DATABASE_URL: db.url, NEWSROOM_TOKENS: ensureTokens(log) };

/** @param {string} name @param {string} entry @returns {import('node:child_process').ChildProcess} */
function run(name, entry) {
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { stdio: 'inherit', env });
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      log(`${name} exited`, { code, signal });
      void shutdown(code ?? 1);
    }
  });
  return child;
}

let shuttingDown = false;
/** @type {import('node:child_process').ChildProcess[]} */
let children = [];
/** @param {number} code */
async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
  await db.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const migrate = spawn(process.execPath, ['--enable-source-maps', 'dist/apps/migrator/src/main.js'], { stdio: 'inherit', env });
const migrated = await new Promise((resolve) => migrate.on('exit', (code) => resolve(code === 0)));
if (!migrated) {
  log('migrations failed; stopping');
  await db.stop();
  process.exit(1);
}
children = [run('newsroom-api', 'dist/apps/newsroom-api/src/main.js'), run('projector', 'dist/apps/projector/src/main.js')];
log('API and projector started', { api: `http://127.0.0.1:${process.env.PORT ?? 3000}`, docs: `http://127.0.0.1:${process.env.PORT ?? 3000}/docs` });
