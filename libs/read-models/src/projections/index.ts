export { applyBatch, applyBatchInTransaction, catchUpProjections, type ApplyBatchOptions } from './apply-batch';
export { loadCheckpoint, markFailed, saveCheckpoint, type Checkpoint } from './checkpoint.store';
export { EVENTS_BEHIND_CAP, readProjectionStatus, type ProjectionStatus } from './projection-status';
export { type Queryable } from './queryable';
export { advancedPayload, parseAdvancedPayload, READ_MODELS_ADVANCED_CHANNEL } from './read-models-advanced';
export { snapshotAt, snapshotsAt } from './snapshot-at';
export { isKeyframe, KEYFRAME_INTERVAL, ProjectionError, projectStoryEvents, STORY_PROJECTION } from './story-read-models.projection';
export { StoryStateCache } from './story-state-cache';
