import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runDemo } from './run-demo';

/** `npm run demo`: needs the system running (`npm start`) and a chief token (NEWSROOM_TOKEN, or the one `npm start` made). */
function token(): string {
  if (process.env.NEWSROOM_TOKEN) return process.env.NEWSROOM_TOKEN;
  const file = path.resolve(__dirname, '../../../.data/dev-tokens');
  try {
    const [first] = readFileSync(file, 'utf8').trim().split(',');
    const [value, , role] = (first ?? '').split(':');
    if (value && role === 'chief') return value;
  } catch {
    // fall through to the message below
  }
  throw new Error(`Set NEWSROOM_TOKEN to a chief token (or run \`npm start\` once, which keeps one in ${file}).`);
}

async function main(): Promise<void> {
  const baseUrl = process.env.NEWSROOM_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const chief = token();
  console.log(`Logging the seed story to ${baseUrl}:`);
  const result = await runDemo({ baseUrl, editorToken: process.env.NEWSROOM_EDITOR_TOKEN ?? chief, chiefToken: chief });
  console.log(`\nDone: story ${result.storyId} at revision ${result.revision} (ETag "${result.revision}").`);
  console.log(`  ${baseUrl}/docs   the OpenAPI UI, to try further writes with the same token`);
  console.log(`  ${baseUrl}/metrics`);
  console.log('The story-history endpoints (current story, asOf, revisions, diff, timeline, claims, verify) are not built yet: see the README.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
