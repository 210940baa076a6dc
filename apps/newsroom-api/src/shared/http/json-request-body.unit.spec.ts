import { Readable } from 'node:stream';
import { json } from 'body-parser';
import { parseStrictJson } from './json-request-body';

/** What body-parser (the parser of the slow path, and Express's) makes of `text` sent as application/json. */
function viaBodyParser(text: string): Promise<{ body?: unknown; message?: string }> {
  const bytes = Buffer.from(text, 'utf8');
  const req = Object.assign(Readable.from([bytes]), {
    headers: { 'content-type': 'application/json', 'content-length': String(bytes.length) },
  }) as unknown as Parameters<ReturnType<typeof json>>[0];
  return new Promise((resolve) => {
    json({ strict: true })(req, {} as Parameters<ReturnType<typeof json>>[1], (error?: unknown) => {
      resolve(error === undefined ? { body: (req as { body?: unknown }).body } : { message: (error as Error).message });
    });
  });
}

function viaFastPath(text: string): { body?: unknown; message?: string } {
  try {
    return { body: parseStrictJson(text) };
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError);
    return { message: (error as Error).message };
  }
}

describe('parseStrictJson', () => {
  it.each([
    '{"headline":"H","desk":"world"}',
    '[1,2]',
    ' \n\t{"a":1}',
    '',
    '   ',
    '"just text"',
    ' 42',
    'null',
    'true',
    '{"headline": ',
    '{"headline": "x",}',
    '{',
    'x{"a":1}',
    '{"a":"\u00e9\u4e2d"}',
  ])('answers %j as body-parser does', async (text) => {
    expect(viaFastPath(text)).toEqual(await viaBodyParser(text));
  });
});
