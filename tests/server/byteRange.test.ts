import { describe, expect, it } from 'vitest';
import { decideRange, ifRangeAllows, matchesIfNoneMatch } from '../../server/byteRange';

describe('decideRange (RFC 9110 single byte ranges)', () => {
  it.each([
    [undefined, { kind: 'full' }],
    ['bytes=0-0', { kind: 'partial', start: 0, end: 0 }],
    ['bytes=10-', { kind: 'partial', start: 10, end: 99 }],
    ['bytes=-150', { kind: 'partial', start: 0, end: 99 }],
    ['bytes=90-1000', { kind: 'partial', start: 90, end: 99 }],
    ['bytes = 5 - 6', { kind: 'partial', start: 5, end: 6 }],
    ['bytes=100-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=5-3', { kind: 'full' }],
    ['bytes=-', { kind: 'full' }],
    ['bytes=0-1,4-5', { kind: 'full' }],
    ['items=0-1', { kind: 'full' }],
    ['bytes=abc', { kind: 'full' }],
  ])('%s on 100 bytes -> %o', (header, decision) => {
    expect(decideRange(header, 100)).toEqual(decision);
  });
});

describe('conditional headers', () => {
  const etag = '"abc"';
  it('If-None-Match compares weakly and accepts lists and *', () => {
    expect(matchesIfNoneMatch('"abc"', etag)).toBe(true);
    expect(matchesIfNoneMatch('W/"abc"', etag)).toBe(true);
    expect(matchesIfNoneMatch('"x", "abc"', etag)).toBe(true);
    expect(matchesIfNoneMatch('*', etag)).toBe(true);
    expect(matchesIfNoneMatch('"abcd"', etag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, etag)).toBe(false);
  });
  it('If-Range allows the range only for our exact strong tag', () => {
    expect(ifRangeAllows(undefined, etag)).toBe(true);
    expect(ifRangeAllows('"abc"', etag)).toBe(true);
    expect(ifRangeAllows('W/"abc"', etag)).toBe(false);
    expect(ifRangeAllows('Sun, 22 Nov 2026 07:00:00 GMT', etag)).toBe(false);
  });
});
