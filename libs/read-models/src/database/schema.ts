import { CreateApiIdempotencyKeys1764000100000 } from '../migrations/1764000100000-create-api-idempotency-keys';
import { CreateReadModels1764000200000 } from '../migrations/1764000200000-create-read-models';
import { SearchPerDevelopment1764000400000 } from '../migrations/1764000400000-search-per-development';
import { RevisionPayloadsAsJson1764000600000 } from '../migrations/1764000600000-revision-payloads-as-json';
import { StoryRevisionKeyframesIndex1764000700000 } from '../migrations/1764000700000-story-revision-keyframes-index';
import { StoriesSnapshotLz41764000900000 } from '../migrations/1764000900000-stories-snapshot-lz4';
import { StoriesSnapshotAsJson1764001500000 } from '../migrations/1764001500000-stories-snapshot-as-json';
import { CurrentStoryFromKeyframes1764001600000 } from '../migrations/1764001600000-current-story-from-keyframes';
import { CreateStoryFoldSnapshots1764001700000 } from '../migrations/1764001700000-create-story-fold-snapshots';
import { AuditLogAsView1764001800000 } from '../migrations/1764001800000-audit-log-as-view';
import { StoryFoldSnapshotsUnloggedLz41764001900000 } from '../migrations/1764001900000-story-fold-snapshots-unlogged-lz4';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's entity/migration list type
type Constructor = Function;

/** Read-model entities; the projections fill these in. */
export const readModelEntities: Constructor[] = [];

/** Read-model (and API state) migrations, in the order they must run. */
export const readModelMigrations: Constructor[] = [
  CreateApiIdempotencyKeys1764000100000,
  CreateReadModels1764000200000,
  SearchPerDevelopment1764000400000,
  RevisionPayloadsAsJson1764000600000,
  StoryRevisionKeyframesIndex1764000700000,
  StoriesSnapshotLz41764000900000,
  StoriesSnapshotAsJson1764001500000,
  CurrentStoryFromKeyframes1764001600000,
  CreateStoryFoldSnapshots1764001700000,
  AuditLogAsView1764001800000,
  StoryFoldSnapshotsUnloggedLz41764001900000,
];
