// @ts-check
// With NEWSROOM_TOKENS unset, `npm start` makes one random chief token for a newcomer to try the
// API with, keeps it in the git-ignored .data folder, and prints it once (when it is created).
// No fixed default token exists anywhere.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { dataRoot } from './embedded-database.mjs';

/** @param {(msg: string, fields?: Record<string, unknown>) => void} log @returns {string} */
export function ensureTokens(log) {
  if (process.env.NEWSROOM_TOKENS) return process.env.NEWSROOM_TOKENS;
  const file = path.join(dataRoot, 'dev-tokens');
  if (existsSync(file)) {
    log('Using the development token kept in ' + file);
    return readFileSync(file, 'utf8').trim();
  }
  mkdirSync(dataRoot, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  const tokens = `${token}:chief-dev:chief`;
  writeFileSync(file, `${tokens}\n`, { mode: 0o600 });
  console.log(`\n  A development token (role chief, editor id chief-dev) was created and kept in ${file}:\n\n    Authorization: Bearer ${token}\n`);
  return tokens;
}
