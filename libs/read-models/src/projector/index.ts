export { BatchReader } from './batch-reader';
export { LeaderLock, PROJECTOR_LOCK_KEY, REBUILD_LOCK_KEY, type LeaderLockOptions } from './leader-lock';
export { Projector, positionFields, type CommittedBatch, type ProjectorOptions, type ProjectorOutcome } from './projector';
export { errorFields, silentLogger, type ProjectorLogger } from './projector-logger';
export { DEFAULT_LOAD_CONNECTIONS, rebuildReadModels, shareOut, RebuildAlreadyRunning, type RebuildOptions, type RebuildProgress, type RebuildResult } from './rebuild';
export { isTransientError } from './transient-errors';
