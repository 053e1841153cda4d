/**
 * The scenes the UI shows are the worker's grouping (workers/groupScenes.ts) seen through
 * sceneViews: grouped by time, placed by hint, position, file name or the operator, with what is
 * missing, the truth of simulated scenes, and each recording's placement for the Files column.
 */
import { describe, expect, it } from 'vitest';
import { HeimdallError } from '../../src/core/errors';
import { modelPlaced, sceneViews, toUiError } from '../../src/state/scenes';
import type { RecordingEntry } from '../../src/state/types';
import { groupRecordings } from '../../workers/groupScenes';
import type { GroupScenesOptions } from '../../workers/types';
import { CONSTELLATION, recording } from './fixtures';

function deriveScenes(recs: RecordingEntry[], options: GroupScenesOptions = {}) {
  const overrides: Record<string, string> = {};
  for (const r of recs) if (r.overrideReceiverId) overrides[r.id] = r.overrideReceiverId;
  const grouped = groupRecordings(
    recs.map((r) => [r.id, r] as const),
    CONSTELLATION,
    { overrides, ...options },
  );
  return sceneViews(grouped, recs);
}

describe('the scenes the UI shows', () => {
  it('groups by time, matches receivers by hint, position or name, and lists what is missing', () => {
    const recs = [
      recording('1', 'a.sigmf-data', {
        receiverHint: 'aquila-giaveno',
        truth: { lat: 45, lon: 8 },
      }),
      recording('2', 'b.sigmf-data', { geolocation: { lat: 45.478, lon: 9.123 } }),
      recording('3', 'genova-later.wav', { captureTime: '2026-01-01T12:05:00Z' }),
    ];
    const d = deriveScenes(recs);
    expect(d.scenes).toHaveLength(2);
    expect(d.scenes[0].recordingIds).toEqual(['1', '2', null]);
    expect(d.scenes[0].missingReceiverIds).toEqual(['genova']);
    expect(d.scenes[0].truth).toEqual({ lat: 45, lon: 8 });
    expect(d.scenes[1].recordingIds).toEqual([null, null, '3']);
    expect(d.placements['3']).toMatchObject({
      station: { id: 'genova' },
      source: 'model-receiver',
    });
    expect(d.errors).toEqual([]);
  });

  it('applies the operator override and reports unmatched recordings by file', () => {
    const recs = [
      recording('1', 'mystery.sigmf-data'),
      recording('2', 'other.sigmf-data', { captureTime: undefined }),
    ];
    const before = deriveScenes(recs);
    expect(before.errors.map((e) => [e.file, e.error.name])).toEqual([
      ['mystery.sigmf-data', 'ReceiverUnknownError'],
      ['other.sigmf-data', 'MissingParameterError'],
    ]);
    const after = deriveScenes([{ ...recs[0], overrideReceiverId: 'genova' }]);
    expect(after.scenes[0].recordingIds).toEqual([null, null, '1']);
    expect(after.placements['1']).toMatchObject({ station: { id: 'genova' }, source: 'operator' });
    expect([...modelPlaced(after)]).toEqual(['1']);
  });

  it('shows a KiwiSDR file the station list places at its station, not as unmatched', () => {
    const kiwi = recording('7', '20260101T120000Z_77500_HB9ODP_iq.wav', {
      format: 'kiwi-wav',
      receiverHint: 'HB9ODP',
    });
    const stations = [{ id: 'HB9ODP', lat: 46.5, lon: 8.8, name: 'Biasca' }];
    expect(deriveScenes([kiwi]).placements['7']).toBeNull();
    const d = deriveScenes([kiwi], { stations });
    expect(d.placements['7']).toEqual({ station: stations[0], source: 'station-list' });
    // The model's network still does not place it: its scene error stands, and TDoA takes it.
    expect(d.errors.map((e) => e.error.name)).toEqual(['ReceiverUnknownError']);
    expect(modelPlaced(d).size).toBe(0);
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
