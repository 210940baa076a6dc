/** One SQL statement with its positional parameters ($1, $2, ...). */
export interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

const PLACEHOLDER = /\$(\d+)/g;

/**
 * Several writes sent as ONE statement: each of `writes` becomes a data-modifying CTE (PostgreSQL
 * runs every one of them to completion, referenced or not), followed by `ctes` (named, for `main`
 * to use) and `main`. One round trip instead of one per write, in the same transaction and with
 * the same effect, provided the writes touch different tables (they all see the snapshot the
 * statement started with, not each other's rows). Each part numbers its parameters from $1; they
 * are renumbered here, so a part's SQL must hold no `$` other than its placeholders.
 */
export function combineWrites(writes: readonly Statement[], ctes: readonly (Statement & { readonly name: string })[], main: Statement): Statement {
  const parameters: unknown[] = [];
  const shift = (part: Statement): string => {
    const offset = parameters.length;
    parameters.push(...part.parameters);
    return part.sql.replace(PLACEHOLDER, (_, n: string) => {
      const index = Number(n);
      if (index < 1 || index > part.parameters.length) throw new RangeError(`$${n} in a statement with ${part.parameters.length} parameters`);
      return `$${index + offset}`;
    });
  };
  const parts = [...writes.map((write, i) => `write_${i} AS (${shift(write)})`), ...ctes.map((cte) => `${cte.name} AS (${shift(cte)})`)];
  const body = shift(main);
  return { sql: parts.length > 0 ? `WITH ${parts.join(',\n')}\n${body}` : body, parameters };
}
