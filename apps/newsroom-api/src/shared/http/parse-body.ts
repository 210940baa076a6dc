import { z } from 'zod/v4';
import { InvalidRequest, type FieldError } from './edge-errors';

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, '');
}

/** Turns zod's issues into `errors: [{ path, message }]`, one per unknown field too. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'is not a known field' }));
    }
    return [{ path: pathOf(issue.path), message: issue.message }];
  });
}

/** Validates a request body (or query) against its schema; anything off becomes a 400 problem. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new InvalidRequest(fieldErrors(result.error));
  return result.data;
}

/** JSON Schema for the OpenAPI document, generated from the same zod schema that validates. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' });
}
