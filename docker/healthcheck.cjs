// Container health checks, run by Docker inside the app images (which have Node but no curl):
//   node docker/healthcheck.cjs http://127.0.0.1:3000/health/ready   exits 0 on a 2xx answer
//   node docker/healthcheck.cjs postgres                             exits 0 when DATABASE_URL answers SELECT 1
// The projector has no HTTP port: its check is that the database it projects into (and, for a
// standby, takes the lock in) answers. How far projection has got is the API's /health/ready.
'use strict';

const TIMEOUT_MS = 4000;
const [target] = process.argv.slice(2);

/** @param {string} url */
async function http(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
}

async function postgres() {
  const { Client } = require('pg');
  const client = new Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
}

const check = target === 'postgres' ? postgres() : target && /^https?:\/\//.test(target) ? http(target) : Promise.reject(new Error(`usage: healthcheck.cjs <http-url> | postgres`));
check.then(
  () => process.exit(0),
  (error) => {
    console.error(`unhealthy: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
