import { seedStory, type DemoIds } from './seed-story.script';

export interface DemoOptions {
  readonly baseUrl: string;
  readonly editorToken: string;
  readonly chiefToken: string;
  readonly log?: (line: string) => void;
}

export interface DemoResult {
  readonly storyId: string;
  readonly revision: number;
  readonly claims: Record<string, string>;
  readonly sources: Record<string, string>;
  readonly developments: Record<string, string>;
}

interface WriteBody {
  storyId: string;
  revision: number;
  claimIds?: string[];
  sourceId?: string;
  developmentId?: string;
}

/** Logs the seed story through the public HTTP API, step by step, with If-Match and Idempotency-Key like a real client. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const claims: Record<string, string> = {};
  const sources: Record<string, string> = {};
  const developments: Record<string, string> = {};
  let storyId = '';
  let revision = 0;
  for (const [index, step] of seedStory.entries()) {
    const ids: DemoIds = { claims, sources, developments };
    const url = `${options.baseUrl}/stories${storyId ? `/${storyId}` : ''}${step.path}`;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${step.role === 'chief' ? options.chiefToken : options.editorToken}`,
      'Idempotency-Key': `demo-${storyId || 'new'}-${index}`,
    };
    if (storyId) headers['If-Match'] = `"${revision}"`;
    const res = await fetch(url, { method: step.method, headers, body: JSON.stringify(step.body(ids)) });
    const body = (await res.json()) as WriteBody & { detail?: string };
    if (!res.ok) throw new Error(`${step.label}: ${res.status} ${body.detail ?? JSON.stringify(body)}`);
    storyId = body.storyId;
    revision = body.revision;
    step.claimNames?.forEach((name, i) => {
      const id = body.claimIds?.[i];
      if (id) claims[name] = id;
    });
    if (step.sourceName && body.sourceId) sources[step.sourceName] = body.sourceId;
    if (step.developmentName && body.developmentId) developments[step.developmentName] = body.developmentId;
    log(`  ${String(index + 1).padStart(2)}. ${step.label.padEnd(70)} -> revision ${revision}`);
  }
  return { storyId, revision, claims, sources, developments };
}
