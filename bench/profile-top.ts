import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixed, printTable } from './support/report';

/**
 * Summarises a V8 .cpuprofile (from `BENCH_CPU_PROFILE=1 npm run bench:api`): the functions with
 * the most self time, and the packages and files that time falls in.
 * Usage: node dist/bench/profile-top.js <file.cpuprofile> [count]
 */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function place(url: string): string {
  if (url === '') return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return url;
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + '/dist/'.length) : path.basename(url);
}

function top(totals: Map<string, number>, count: number, totalMs: number): string[][] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => [name, fixed(ms, 0), fixed((100 * ms) / totalMs, 1)]);
}

const [file, countArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node dist/bench/profile-top.js <file.cpuprofile> [count]');
  process.exit(2);
}
const count = Number(countArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));

const functions = new Map<string, number>();
const places = new Map<string, number>();
let totalMs = 0;
let idleMs = 0;
for (const [id, ms] of selfMs) {
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  totalMs += ms;
  if (frame.functionName === '(idle)') idleMs += ms;
  const name = `${frame.functionName || '(anonymous)'} ${place(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
  functions.set(name, (functions.get(name) ?? 0) + ms);
  places.set(place(frame.url), (places.get(place(frame.url)) ?? 0) + ms);
}

console.log(`${file}: ${fixed(totalMs, 0)} ms sampled, ${fixed(idleMs, 0)} ms idle (${fixed((100 * idleMs) / totalMs, 1)}%)`);
printTable('Self time by function', ['function', 'ms', '%'], top(functions, count, totalMs));
printTable('Self time by package or file', ['where', 'ms', '%'], top(places, count, totalMs));
