/** SQL for a timestamptz column as ISO-8601 text in UTC, its fraction of a second as `fraction` gives it (PostgreSQL cuts, never rounds). */
const utcText = (column: string, fraction: 'MS' | 'US'): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.${fraction}"Z"')`;

/**
 * SQL for a timestamptz column as the API writes instants: ISO-8601 in UTC with milliseconds,
 * character for character what `Date.prototype.toISOString` gives for the same value (both cut
 * microseconds, neither rounds). Formatting in the statement spares the API parsing PostgreSQL's
 * text into a Date and printing it again for every row of a page (about a tenth of its CPU on a
 * page of revisions). Years 0-9999 only, as toISOString prints them without a sign.
 */
export function isoInstant(column: string): string {
  return utcText(column, 'MS');
}

/**
 * The same with microseconds: a cursor key that keeps PostgreSQL's full precision (milliseconds
 * would let two rows share a key and a page repeat or skip them).
 */
export function instantKey(column: string): string {
  return utcText(column, 'US');
}
