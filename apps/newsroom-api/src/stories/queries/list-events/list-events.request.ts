import { z } from 'zod/v4';
import { minRevisionParam } from '../story-read.edge';

/** minRevision is accepted like on every story read, and always met: this reads the log itself, never behind. */
export const listEventsRequest = z.strictObject({ minRevision: minRevisionParam });
