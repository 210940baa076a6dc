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
  const story = `${baseUrl}/stories/${result.storyId}`;
  console.log('\nIts history (GET, with Authorization: Bearer <token>; minRevision waits for the projector to catch up):');
  const links: readonly (readonly [string, string])[] = [
    [`${story}?minRevision=${result.revision}`, 'what the story says now (ETag = its revision)'],
    [`${story}?asOf=<ISO-8601 instant>`, 'what it said at a moment'],
    [`${story}/revisions`, 'who changed it, when and why, newest first'],
    [`${story}/revisions/7`, 'one revision: what it changed and the story as it stood'],
    [`${story}/diff?from=3&to=7`, 'what changed between two revisions (JSON Patch + plain lines)'],
    [`${story}/timeline`, 'developments in the order they happened (?order=recorded: as logged)'],
    [`${story}/claims`, 'which claims were confirmed, disputed or retracted, and by what'],
    [`${baseUrl}/corrections`, 'the corrections ledger across stories'],
    [`${story}/events`, 'the raw events from the event store (auditor, chief)'],
    [`${story}/verify`, 'has any event been tampered with? (auditor, chief)'],
    [`${baseUrl}/audit?storyId=${result.storyId}`, 'the audit trail (auditor, chief)'],
  ];
  for (const [url, what] of links) console.log(`  ${url}\n      ${what}`);
  console.log(`\n  ${baseUrl}/docs   the OpenAPI UI, to try further reads and writes with the same token`);
  console.log(`  ${baseUrl}/metrics`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
