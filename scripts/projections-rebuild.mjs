// @ts-check
// `npm run projections:rebuild`: rebuilds the read models from the whole event log into a fresh
// schema and swaps it in while the API and the projector keep running. Uses DATABASE_URL when
// set; otherwise the embedded PostgreSQL that `npm start` uses: the running one if `npm start` is
// up, else it is started for the duration. Migrations run first (a no-op when up to date).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { ensureDatabase } from './lib/embedded-database.mjs';

/** @param {string} url */
async function reachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The rebuild's V8 options, from scripts/lib/rebuild-node-flags.json (bench:rebuild reads the same
 * file): a young generation of up to 128 MiB a half instead of 16. Most of what the fold allocates
 * (story states held in memory, rows waiting for their statement) survives a scavenge, which then
 * copies it; with room for more of it per cycle the rebuild process spends less CPU: 64 MiB saved
 * about 13% against 16 (user 8.3 -> 7.2 s per 100,000 events, medians of six alternating runs),
 * 128 MiB another 4-8% of the rebuild process's CPU against 64 (five alternating pairs, peak RSS
 * the same); 256 MiB was slower again and took 130 MiB more (docs/PERFORMANCE.md, section 5).
 * @type {string[]}
 */
const REBUILD_NODE_FLAGS = JSON.parse(readFileSync(new URL('./lib/rebuild-node-flags.json', import.meta.url), 'utf8'));

/** @param {string} entry @param {NodeJS.ProcessEnv} env @param {string[]} [flags] @returns {Promise<number>} */
function run(entry, env, flags = []) {
  const child = spawn(process.execPath, ['--enable-source-maps', ...flags, entry], { stdio: 'inherit', env });
  const forward = (/** @type {NodeJS.Signals} */ signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

const port = Number(process.env.EMBEDDED_PG_PORT ?? 25432);
const startUrl = `postgres://postgres:postgres@127.0.0.1:${port}/newsroom`;
const db = process.env.DATABASE_URL
  ? { url: process.env.DATABASE_URL, stop: async () => {} }
  : (await reachable(startUrl))
    ? { url: startUrl, stop: async () => {} }
    : await ensureDatabase({ name: 'postgres', port, log: (line) => console.error(line) });

const env = { ...process.env, DATABASE_URL: db.url };
let code = await run('dist/apps/migrator/src/main.js', env);
if (code === 0) code = await run('dist/apps/projector/src/rebuild.main.js', env, REBUILD_NODE_FLAGS);
await db.stop();
process.exit(code);
