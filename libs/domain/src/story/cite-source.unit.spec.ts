import { given } from '../testing/given-when-then';
import { SOURCE_ID, sourceCited, storyOpened } from '../testing/story.test-data';
import { InvalidField, RequiredFieldMissing, SourceAlreadyCited } from './story.errors';

const REPORT_URL = 'https://example.org/report';

describe('a draft story', () => {
  it('citing a source records SourceCited and adds it to the story', () => {
    const state = given(storyOpened())
      .when({ type: 'CiteSource', data: { sourceId: SOURCE_ID, url: ` ${REPORT_URL} `, publisher: ' Example Wire ', title: 'The report' } })
      .then([{ type: 'SourceCited', data: { sourceId: SOURCE_ID, url: REPORT_URL, publisher: 'Example Wire', title: 'The report' } }]);
    expect(state.sources.has(SOURCE_ID)).toBe(true);
  });

  it('a blank title is left out', () => {
    given(storyOpened())
      .when({ type: 'CiteSource', data: { sourceId: SOURCE_ID, url: REPORT_URL, publisher: 'Example Wire', title: ' ' } })
      .then([{ type: 'SourceCited', data: { sourceId: SOURCE_ID, url: REPORT_URL, publisher: 'Example Wire' } }]);
  });

  it('a REPORT_URL that is not absolute is rejected', () => {
    given(storyOpened())
      .when({ type: 'CiteSource', data: { sourceId: SOURCE_ID, url: 'example.org/report', publisher: 'Example Wire' } })
      .thenThrows(InvalidField, { details: { path: 'url' } });
  });

  it('a REPORT_URL that is not http(s) is rejected', () => {
    given(storyOpened())
      .when({ type: 'CiteSource', data: { sourceId: SOURCE_ID, url: 'javascript:alert(1)', publisher: 'Example Wire' } })
      .thenThrows(InvalidField, { details: { path: 'url' } });
  });

  it('a blank publisher is rejected as a missing field', () => {
    given(storyOpened())
      .when({ type: 'CiteSource', data: { sourceId: SOURCE_ID, url: REPORT_URL, publisher: '' } })
      .thenThrows(RequiredFieldMissing, { details: { path: 'publisher' } });
  });
});

describe('a story that already cites the source', () => {
  it('citing it again under the same id is rejected with SourceAlreadyCited', () => {
    given(storyOpened(), sourceCited())
      .when({ type: 'CiteSource', data: { sourceId: SOURCE_ID, url: REPORT_URL, publisher: 'Example Wire' } })
      .thenThrows(SourceAlreadyCited, { code: 'SOURCE_ALREADY_CITED', category: 'conflict' });
  });
});
