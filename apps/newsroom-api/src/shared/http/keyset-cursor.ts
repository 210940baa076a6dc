import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { type z } from 'zod/v4';
import { InvalidQuery } from './edge-errors';

/**
 * Keyset pagination: a page ends with the sort key of its last row, and the next page starts
 * strictly after it. The key travels as an opaque cursor (base64url JSON), so clients cannot
 * build one, and a tag in it (`k`) keeps one list's cursor from being accepted by another.
 */
export function encodeCursor(key: Readonly<Record<string, string | number>>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The key inside a cursor this endpoint gave out, or a 400 naming `query.cursor`. Undefined when no cursor was sent. */
export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string | undefined): z.infer<S> | undefined {
  if (cursor === undefined) return undefined;
  if (BASE64URL.test(cursor)) {
    try {
      const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: the same answer as any other foreign cursor
    }
  }
  throw new InvalidQuery([{ path: 'query.cursor', message: 'is not a cursor this endpoint gave out' }]);
}

export interface Page<Item> {
  readonly items: Item[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only tells that another page exists,
 * and the cursor is the key of the last row shown.
 */
export function toPage<Row, Item>(rows: readonly Row[], limit: number, toItem: (row: Row) => Item, keyOf: (row: Row) => Record<string, string | number>): Page<Item> {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { items: shown.map(toItem), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** OpenAPI for `limit` and `cursor` of a keyset-paged list. */
export function PageDocs(): MethodDecorator {
  return applyDecorators(
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } }),
    ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' }, description: 'The `nextCursor` of the previous page, as given (opaque).' }),
  );
}
