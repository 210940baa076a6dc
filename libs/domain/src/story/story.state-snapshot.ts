import { type JsonObject } from '../envelope/canonical-json';
import { PersistentMap, PersistentSet } from '../shared/persistent-map';
import { type DevelopmentKind } from './story.events';
import type { ClaimState, ClaimStatus, DevelopmentState, OpenedStory } from './story.state';

/**
 * A folded story as plain JSON, so the write side can keep a snapshot of a long story's fold and
 * read only the events after it. Bump the version whenever `evolve` or the state's shape changes:
 * a snapshot of another version is ignored and the story folded from its events again.
 */
export const STORY_STATE_SNAPSHOT_VERSION = 1;

/** Every kind, checked complete by the compiler. */
const DEVELOPMENT_KINDS: Readonly<Record<DevelopmentKind, true>> = { report: true, confirmation: true, statement: true, visit: true, background: true, update: true };
const CLAIM_STATUSES: readonly ClaimStatus[] = ['reported', 'confirmed', 'disputed', 'retracted'];
const STORY_STATUSES: readonly OpenedStory['status'][] = ['draft', 'published', 'withdrawn'];

/** Developments as `[id, kind, retracted]`, claims as `[id, status, developmentId]`: compact, and easy to check when read back. */
export function storyStateToJson(state: OpenedStory): JsonObject {
  return {
    ...scalarsToJson(state),
    developments: Array.from(state.developments, developmentToJson),
    claims: Array.from(state.claims, claimToJson),
    sources: [...state.sources],
    corrections: [...state.corrections],
  };
}

/**
 * `JSON.stringify(storyStateToJson(state))`, character for character, as pieces of text that
 * each hold at most `entriesPerPiece` developments, claims, sources or corrections, so a caller
 * can write out a long story's state a piece at a time (30,000 developments are about 2 MB of
 * JSON and tens of milliseconds to serialise at once). The state is immutable; each collection
 * is iterated over a copy taken when the generator reaches it.
 */
export function* storyStateJsonPieces(state: OpenedStory, entriesPerPiece: number): Generator<string> {
  if (!(Number.isSafeInteger(entriesPerPiece) && entriesPerPiece > 0)) throw new RangeError(`entriesPerPiece must be a positive integer, got ${entriesPerPiece}`);
  const collections: [key: string, entries: Iterable<unknown>][] = [
    ['developments', mapped(state.developments, developmentToJson)],
    ['claims', mapped(state.claims, claimToJson)],
    ['sources', state.sources],
    ['corrections', state.corrections],
  ];
  // The scalars' object without its closing brace; the collections follow in storyStateToJson's key order.
  let text = JSON.stringify(scalarsToJson(state)).slice(0, -1);
  for (const [key, entries] of collections) {
    text += `,${JSON.stringify(key)}:[`;
    let inPiece = 0;
    let separator = '';
    for (const entry of entries) {
      text += separator + JSON.stringify(entry);
      separator = ',';
      inPiece += 1;
      if (inPiece === entriesPerPiece) {
        yield text;
        text = '';
        inPiece = 0;
      }
    }
    text += ']';
  }
  yield `${text}}`;
}

function scalarsToJson(state: OpenedStory): JsonObject {
  return {
    status: state.status,
    storyId: state.storyId,
    slug: state.slug,
    headline: state.headline,
    ...(state.summary === undefined ? {} : { summary: state.summary }),
    desk: state.desk,
    language: state.language,
  };
}

const developmentToJson = ([id, d]: readonly [string, DevelopmentState]): [string, string, boolean] => [id, d.kind, d.retracted];
const claimToJson = ([id, c]: readonly [string, ClaimState]): [string, string, string] => [id, c.status, c.developmentId];

function* mapped<T, U>(entries: Iterable<T>, map: (entry: T) => U): Generator<U> {
  for (const entry of entries) yield map(entry);
}

/** The state `storyStateToJson` wrote, or undefined for anything else (a snapshot is never trusted blindly). */
export function storyStateFromJson(json: unknown): OpenedStory | undefined {
  if (!isRecord(json)) return undefined;
  const { status, storyId, slug, headline, summary, desk, language, developments, claims, sources, corrections } = json;
  if (!STORY_STATUSES.includes(status as OpenedStory['status'])) return undefined;
  if (![storyId, slug, headline, desk, language].every(isString) || !(summary === undefined || isString(summary))) return undefined;
  if (!Array.isArray(developments) || !Array.isArray(claims) || !isStringArray(sources) || !isStringArray(corrections)) return undefined;
  const developmentEntries: [string, DevelopmentState][] = [];
  for (const entry of developments as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 3) return undefined;
    const [id, kind, retracted] = entry as unknown[];
    if (!isString(id) || !(isString(kind) && Object.hasOwn(DEVELOPMENT_KINDS, kind)) || typeof retracted !== 'boolean') return undefined;
    developmentEntries.push([id, { kind: kind as DevelopmentKind, retracted }]);
  }
  const claimEntries: [string, ClaimState][] = [];
  for (const entry of claims as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 3) return undefined;
    const [id, claimStatus, developmentId] = entry as unknown[];
    if (!isString(id) || !CLAIM_STATUSES.includes(claimStatus as ClaimStatus) || !isString(developmentId)) return undefined;
    claimEntries.push([id, { status: claimStatus as ClaimStatus, developmentId }]);
  }
  return {
    status: status as OpenedStory['status'],
    storyId: storyId as string,
    slug: slug as string,
    headline: headline as string,
    ...(summary === undefined ? {} : { summary }),
    desk: desk as string,
    language: language as string,
    developments: PersistentMap.from(developmentEntries),
    claims: PersistentMap.from(claimEntries),
    sources: PersistentSet.from(sources),
    corrections: PersistentSet.from(corrections),
  };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
