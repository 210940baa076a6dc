import { combineWrites } from './statement';

describe('combineWrites', () => {
  it('makes each write a CTE before the named CTEs and the main statement, renumbering every part’s parameters', () => {
    const combined = combineWrites(
      [
        { sql: 'INSERT INTO a SELECT * FROM unnest($1::int[], $2::text[])', parameters: [[1], ['x']] },
        { sql: 'INSERT INTO b VALUES ($1, $1)', parameters: ['y'] },
      ],
      [{ name: 'moved', sql: 'UPDATE c SET n = $2 WHERE k = $1 RETURNING 1', parameters: ['k', 12] }],
      { sql: 'SELECT pg_notify($1, $2) FROM (SELECT count(*) FROM moved) AS done', parameters: ['channel', 'payload'] },
    );
    expect(combined.sql).toBe(
      [
        'WITH write_0 AS (INSERT INTO a SELECT * FROM unnest($1::int[], $2::text[])),',
        'write_1 AS (INSERT INTO b VALUES ($3, $3)),',
        'moved AS (UPDATE c SET n = $5 WHERE k = $4 RETURNING 1)',
        'SELECT pg_notify($6, $7) FROM (SELECT count(*) FROM moved) AS done',
      ].join('\n'),
    );
    expect(combined.parameters).toEqual([[1], ['x'], 'y', 'k', 12, 'channel', 'payload']);
  });

  it('leaves a lone statement as it is', () => {
    expect(combineWrites([], [], { sql: 'UPDATE c SET n = $1', parameters: [1] })).toEqual({ sql: 'UPDATE c SET n = $1', parameters: [1] });
  });

  it('refuses a placeholder its part has no parameter for, rather than reading another part’s', () => {
    expect(() => combineWrites([{ sql: 'INSERT INTO a VALUES ($1, $2)', parameters: [1] }], [], { sql: 'SELECT 1', parameters: [] })).toThrow(RangeError);
  });
});
