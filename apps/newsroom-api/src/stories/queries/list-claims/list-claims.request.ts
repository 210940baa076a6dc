import { z } from 'zod/v4';
import { minRevisionParam } from '../story-read.edge';

export const listClaimsRequest = z.strictObject({ minRevision: minRevisionParam });
