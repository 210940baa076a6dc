import { Client } from 'pg';
import { serverUrl } from '../../../../../tests/support/test-database';
import { isoInstant } from './iso-instant';

/**
 * The queries used to read timestamps as Date (pg's parser) and print them with toISOString; they
 * now print them in SQL. The answers must not change by a character, whatever the session's zone.
 */
describe('isoInstant', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: serverUrl() });
    await client.connect();
  });

  afterAll(() => client.end());

  const instants = [
    '2025-03-14T09:10:00Z',
    '2025-03-14T09:10:00.5Z',
    '2025-03-14T09:10:00.007Z',
    // microseconds: both ways cut them, neither rounds up
    '2025-03-14T09:10:00.123999Z',
    '2025-12-31T23:59:59.999999Z',
    '2025-03-14T12:10:00.25+03:00',
    '2024-02-29T00:00:00Z',
    '1999-12-31T23:59:59.001-05:30',
    '0999-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
  ];

  it.each(['UTC', 'Asia/Tokyo', 'America/St_Johns', 'Europe/Kyiv'])('prints what the Date from pg would print, with the session in %s', async (zone) => {
    await client.query(`SET TimeZone = '${zone}'`);
    for (const instant of instants) {
      const { rows } = await client.query<{ parsed: Date; printed: string }>(`SELECT $1::timestamptz AS parsed, ${isoInstant('$1::timestamptz')} AS printed`, [instant]);
      const [row] = rows;
      expect({ instant, printed: row?.printed }).toEqual({ instant, printed: row?.parsed.toISOString() });
    }
  });

  it('keeps null as null', async () => {
    const { rows } = await client.query<{ printed: string | null }>(`SELECT ${isoInstant('NULL::timestamptz')} AS printed`);
    expect(rows).toEqual([{ printed: null }]);
  });
});
