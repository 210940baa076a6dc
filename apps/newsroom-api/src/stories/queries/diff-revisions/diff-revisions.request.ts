import { z } from 'zod/v4';
import { integerParam } from '../../../shared/http/parse-query';
import { minRevisionParam } from '../story-read.edge';

const revision = integerParam(1, 2_147_483_647);

export const diffRevisionsRequest = z.strictObject({
  from: revision,
  to: revision,
  minRevision: minRevisionParam,
});

export type DiffRevisionsRequest = z.infer<typeof diffRevisionsRequest>;
