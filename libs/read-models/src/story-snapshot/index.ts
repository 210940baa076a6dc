export type * from './story-snapshot';
export { applyToSnapshot, SnapshotProjectionError, type EventFacts } from './apply-event';
export { describeChanges, quote, summarizeEvent } from './describe-changes';
export { diffJson } from './json-diff';
