import { acceptsGzip } from './json-body';

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, GZIP;q=0.5', true],
    ['x-gzip', true],
    ['*', true],
    ['deflate, *;q=0.1', true],
    [' gzip ; q=0.001 ', true],
  ])('lets %j have gzip', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it.each([
    [undefined, false],
    ['', false],
    ['identity', false],
    ['br, deflate', false],
    ['gzip;q=0', false],
    ['gzip;q=0.0, *', false],
    ['*;q=0', false],
    ['gzip;q=abc', false],
    ['gzipped', false],
  ])('keeps %j to the identity', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
