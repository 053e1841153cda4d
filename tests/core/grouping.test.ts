import { describe, expect, it } from 'vitest';
import { groupIntoScenes, matchReceiver } from '../../src/core/grouping';
import { trainingConfig } from '../../training/loadConfig';

const { constellation } = trainingConfig();
const rec = (name: string, captureTime: string | undefined, extra: object = {}) => ({
  info: { name, captureTime, ...extra },
});

describe('receiver matching', () => {
  it('uses the receiver id, then the position, then the file name', () => {
    expect(matchReceiver({ name: 'x', receiverHint: 'genova' }, constellation)?.id).toBe('genova');
    expect(matchReceiver({ name: 'x', receiverHint: 'Milano-Baggio' }, constellation)?.id).toBe(
      'milano-baggio',
    );
    expect(
      matchReceiver({ name: 'x', geolocation: { lat: 45.04, lon: 7.28 } }, constellation)?.id,
    ).toBe('aquila-giaveno');
    expect(
      matchReceiver({ name: '20260101T120000Z_145500000_genova_iq.wav' }, constellation)?.id,
    ).toBe('genova');
    expect(
      matchReceiver({ name: 'x', geolocation: { lat: 41.9, lon: 12.5 } }, constellation),
    ).toBeNull();
  });
  it('lets an operator override win', () => {
    expect(
      matchReceiver({ name: 'a', receiverHint: 'genova' }, constellation, 'milano-baggio')?.id,
    ).toBe('milano-baggio');
  });
});

describe('grouping into scenes', () => {
  it('groups by capture time within the tolerance and orders receivers as the model does', () => {
    const t = '2026-01-01T12:00:00.000Z';
    const t2 = '2026-01-01T12:00:10.000Z';
    const { scenes, errors } = groupIntoScenes(
      [
        rec('b', '2026-01-01T12:00:00.500Z', { receiverHint: 'milano-baggio' }),
        rec('a', t, { receiverHint: 'genova' }),
        rec('c', t, { receiverHint: 'aquila-giaveno' }),
        rec('d', t2, { receiverHint: 'genova' }),
      ],
      constellation,
    );
    expect(errors).toEqual([]);
    expect(scenes).toHaveLength(2);
    expect(scenes[0].id).toBe(t);
    expect(scenes[0].byReceiver.map((r) => r?.info.name)).toEqual(['c', 'b', 'a']);
    expect(scenes[0].missing).toEqual([]);
    expect(scenes[1].missing.map((m) => m.id)).toEqual(['aquila-giaveno', 'milano-baggio']);
  });

  it('names the file for a missing time, an unknown receiver or a duplicate receiver', () => {
    const t = '2026-01-01T12:00:00.000Z';
    const { scenes, errors } = groupIntoScenes(
      [
        rec('no-time.sigmf-data', undefined, { receiverHint: 'genova' }),
        rec('rome.sigmf-data', t, { geolocation: { lat: 41.9, lon: 12.5 } }),
        rec('g1', t, { receiverHint: 'genova' }),
        rec('g2', t, { receiverHint: 'genova' }),
      ],
      constellation,
    );
    expect(scenes).toHaveLength(1);
    expect(errors.map((e) => [e.file, e.error.name])).toEqual([
      ['no-time.sigmf-data', 'MissingParameterError'],
      ['rome.sigmf-data', 'ReceiverUnknownError'],
      ['g2', 'SceneIncompleteError'],
    ]);
    expect(errors[1].error.message).toContain('rome.sigmf-data');
  });
});
