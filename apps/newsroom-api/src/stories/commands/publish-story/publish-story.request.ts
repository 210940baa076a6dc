import { z } from 'zod/v4';

export const publishStoryRequest = z.strictObject({});
