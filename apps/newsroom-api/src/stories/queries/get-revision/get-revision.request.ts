import { z } from 'zod/v4';
import { RevisionNotFound } from '../../../shared/http/edge-errors';
import { minRevisionParam } from '../story-read.edge';

export const getRevisionRequest = z.strictObject({ minRevision: minRevisionParam });

/** A revision in a path: a positive integer, else it names no revision (404, like a non-UUID story id). */
export function revisionFrom(raw: string): number {
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new RevisionNotFound(`"${raw}" is not a revision: revisions are numbered from 1.`);
  return Number(raw);
}
