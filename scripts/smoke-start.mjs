// @ts-check
// Proves the README's run command on this machine: `npm start` without DATABASE_URL (embedded
// PostgreSQL), waits for /health/ready, logs the demo story through the API, then stops it all.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const port = Number(process.env.SMOKE_PORT ?? 3917);
const env = { ...process.env, PORT: String(port), EMBEDDED_PG_PORT: process.env.SMOKE_PG_PORT ?? '25434' };
delete env.DATABASE_URL;
delete env.NEWSROOM_TOKENS;

const system = spawn('npm', ['start', '--silent'], { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
let output = '';
system.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});

/** @param {string} message */
async function fail(message) {
  console.error(`smoke-start: ${message}`);
  try {
    process.kill(-(system.pid ?? 0), 'SIGTERM');
  } catch {}
  process.exit(1);
}

const deadline = Date.now() + 120_000;
for (;;) {
  if (system.exitCode !== null) await fail(`npm start exited early with ${system.exitCode}`);
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
    if (res.status === 200) break;
  } catch {}
  if (Date.now() > deadline) await fail('the API did not become ready within 120 s');
  await sleep(500);
}
const token = /Authorization: Bearer (\S+)/.exec(output)?.[1];
if (!token) await fail('npm start did not print the development token');

const demo = spawn(process.execPath, ['dist/tools/demo/demo.main.js'], {
  env: { ...env, NEWSROOM_TOKEN: token, NEWSROOM_URL: `http://127.0.0.1:${port}` },
  stdio: 'inherit',
});
const demoCode = await new Promise((resolve) => demo.on('exit', resolve));
if (demoCode !== 0) await fail(`the demo failed with exit code ${demoCode}`);

process.kill(-(system.pid ?? 0), 'SIGTERM');
const code = await new Promise((resolve) => system.on('exit', resolve));
console.log(`smoke-start: npm start served the demo and stopped cleanly (exit ${code}).`);
