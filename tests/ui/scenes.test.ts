import { describe, expect, it } from 'vitest';
import { HeimdallError } from '../../src/core/errors';
import { deriveScenes, toUiError } from '../../src/state/scenes';
import { CONSTELLATION, recording } from './fixtures';

describe('deriveScenes', () => {
  it('groups by time, matches receivers by hint, position or name, and lists what is missing', () => {
    const recs = [
      recording('1', 'a.sigmf-data', {
        receiverHint: 'aquila-giaveno',
        truth: { lat: 45, lon: 8 },
      }),
      recording('2', 'b.sigmf-data', { geolocation: { lat: 45.478, lon: 9.123 } }),
      recording('3', 'genova-later.wav', { captureTime: '2026-01-01T12:05:00Z' }),
    ];
    const d = deriveScenes(recs, CONSTELLATION);
    expect(d.scenes).toHaveLength(2);
    expect(d.scenes[0].recordingIds).toEqual(['1', '2', null]);
    expect(d.scenes[0].missingReceiverIds).toEqual(['genova']);
    expect(d.scenes[0].truth).toEqual({ lat: 45, lon: 8 });
    expect(d.scenes[1].recordingIds).toEqual([null, null, '3']);
    expect(d.assignment.get('3')).toBe('genova');
    expect(d.errors).toEqual([]);
  });

  it('applies the operator override and reports unmatched recordings by file', () => {
    const recs = [
      recording('1', 'mystery.sigmf-data'),
      recording('2', 'other.sigmf-data', { captureTime: undefined }),
    ];
    const before = deriveScenes(recs, CONSTELLATION);
    expect(before.errors.map((e) => [e.file, e.error.name])).toEqual([
      ['mystery.sigmf-data', 'ReceiverUnknownError'],
      ['other.sigmf-data', 'MissingParameterError'],
    ]);
    const after = deriveScenes([{ ...recs[0], overrideReceiverId: 'genova' }], CONSTELLATION);
    expect(after.scenes[0].recordingIds).toEqual([null, null, '1']);
    expect(after.assignment.get('1')).toBe('genova');
  });

  it('is empty without a constellation (no model yet)', () => {
    expect(deriveScenes([recording('1', 'x')], null).scenes).toEqual([]);
  });
});

describe('toUiError', () => {
  it('keeps known names and the file, maps others to Error', () => {
    expect(toUiError(new HeimdallError('CorruptFileError', 'bad header', 'x.wav'))).toEqual({
      name: 'CorruptFileError',
      message: 'x.wav: bad header',
      file: 'x.wav',
    });
    const e = new Error('boom');
    e.name = 'TypeError';
    expect(toUiError(e).name).toBe('Error');
    expect(toUiError('text')).toEqual({ name: 'Error', message: 'text' });
  });
});
