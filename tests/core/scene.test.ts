/**
 * The scene model (src/core/scene): scenes of any stations grouped by capture time, placements
 * from a model's network or a station list, a model's view of a scene, and TDoA's estimate in
 * the shape every estimator gives.
 */
import { describe, expect, it } from 'vitest';
import { HeimdallError } from '../../src/core/errors';
import type { RecordingInfo } from '../../src/core/readers/types';
import { groupByCaptureTime, sceneOf } from '../../src/core/scene/groupByTime';
import { inNetworkOrder, networkView } from '../../src/core/scene/network';
import { placeByStationList, placeInNetwork, placeRecording } from '../../src/core/scene/placement';
import { sceneRecordings, tdoaEstimate } from '../../src/core/scene/tdoaEstimator';
import { sceneStationIds, type Station } from '../../src/core/scene/types';
import type { TdoaResult } from '../../src/core/tdoa/types';
import { trainingConfig } from '../../training/loadConfig';

const { constellation } = trainingConfig();

const STATIONS: Station[] = ['HB9ODP', 'DF0KL', 'F1JEK', 'OE3XYZ', 'PA0ABC'].map((id, i) => ({
  id,
  lat: 45 + i,
  lon: 5 + i,
}));

function info(name: string, patch: Partial<RecordingInfo> = {}): RecordingInfo {
  return {
    name,
    format: 'kiwi-wav',
    datatype: 'ci16_le',
    sampleRateHz: 12000,
    totalSamples: 120000,
    captureTime: '2026-01-01T12:00:00.000Z',
    extra: {},
    ...patch,
  };
}
const kiwi = (id: string, second = 0) => ({
  info: info(`20260101T1200${String(second).padStart(2, '0')}Z_77500_${id}_iq.wav`, {
    receiverHint: id,
    captureTime: new Date(Date.UTC(2026, 0, 1, 12, 0, second)).toISOString(),
  }),
});
const byList = (r: { info: RecordingInfo }) => placeByStationList(r.info, STATIONS);

describe('scenes of any stations, grouped by capture time', () => {
  it('puts five stations of one capture into one scene and the next capture into another', () => {
    const recs = [...STATIONS.map((s, i) => kiwi(s.id, i % 2)), kiwi('DF0KL', 30)];
    const { scenes, errors } = groupByCaptureTime(recs, byList);
    expect(errors).toEqual([]);
    expect(scenes.map((s) => s.members.length)).toEqual([5, 1]);
    expect(scenes[0].id).toBe('2026-01-01T12:00:00.000Z');
    expect(new Set(sceneStationIds(scenes[0]))).toEqual(new Set(STATIONS.map((s) => s.id)));
    expect(scenes[0].members.every((m) => m.source === 'station-list')).toBe(true);
    expect(scenes[0].members.find((m) => m.station.id === 'F1JEK')?.station).toEqual(STATIONS[2]);
  });

  it('names the file with no time, no station, or a second recording of a station', () => {
    const recs = [
      { info: info('a.wav', { receiverHint: 'HB9ODP', captureTime: undefined }) },
      kiwi('NOPE'),
      kiwi('DF0KL'),
      { info: info('again.wav', { receiverHint: 'DF0KL' }) },
    ];
    const { scenes, errors } = groupByCaptureTime(recs, byList);
    expect(scenes).toHaveLength(1);
    expect(errors.map((e) => [e.file, e.error.name])).toEqual([
      ['a.wav', 'MissingParameterError'],
      [recs[1].info.name, 'ReceiverUnknownError'],
      ['again.wav', 'SceneIncompleteError'],
    ]);
    expect(errors[1].error.message).toMatch(/station "NOPE" has no position/);
  });

  it('keeps recordings a scene cannot place as unplaced, with the reason', () => {
    const scene = sceneOf('s', [kiwi('DF0KL', 1), kiwi('NOPE', 0), kiwi('HB9ODP', 0)], byList);
    expect(sceneStationIds(scene)).toEqual(['DF0KL', 'HB9ODP']);
    expect(scene.captureTimeMs).toBe(Date.UTC(2026, 0, 1, 12));
    expect(scene.unplaced?.map((u) => u.reason)).toEqual([
      expect.stringMatching(/^station "NOPE" has no position/),
    ]);
    expect(sceneRecordings(scene).map((r) => r.info.receiverHint)).toEqual([
      'DF0KL',
      'HB9ODP',
      'NOPE',
    ]);
  });
});

describe('placement', () => {
  const [a, b, c] = constellation.receivers;
  it('places in a model network by hint, and says when the operator chose', () => {
    expect(placeInNetwork({ name: 'x', receiverHint: a.id }, constellation)).toEqual({
      station: a,
      source: 'model-receiver',
    });
    expect(placeInNetwork({ name: 'x' }, constellation, b.id)).toMatchObject({
      source: 'operator',
    });
    expect(placeInNetwork({ name: 'x' }, constellation)).toBeInstanceOf(HeimdallError);
  });

  it('shows the model receiver first, then the station list, else nothing', () => {
    const lists = { constellation, stations: STATIONS };
    expect(placeRecording(info('x', { receiverHint: c.id }), lists)?.station.id).toBe(c.id);
    expect(placeRecording(kiwi('HB9ODP').info, lists)).toEqual({
      station: STATIONS[0],
      source: 'station-list',
    });
    expect(placeRecording(kiwi('HB9ODP').info, { ...lists, constellation: null })?.source).toBe(
      'station-list',
    );
    expect(placeRecording(kiwi('NOPE').info, lists)).toBeNull();
  });
});

describe("a fixed network model's view of a scene", () => {
  const inNet = (id: string, second = 0) => ({
    info: info(`${id}.wav`, {
      receiverHint: id,
      captureTime: new Date(Date.UTC(2026, 0, 1, 12, 0, second)).toISOString(),
    }),
  });
  const place = (r: { info: RecordingInfo }) => placeInNetwork(r.info, constellation);
  const ids = constellation.receivers.map((r) => r.id);

  it('orders the recordings as the model does, and lists what is missing', () => {
    const { scenes } = groupByCaptureTime([inNet(ids[2]), inNet(ids[0], 1), inNet(ids[1])], place);
    expect(inNetworkOrder(scenes[0], constellation).map((r) => r.info.name)).toEqual(
      ids.map((id) => `${id}.wav`),
    );
    const partial = groupByCaptureTime([inNet(ids[2])], place).scenes[0];
    expect(networkView(partial, constellation).missing.map((m) => m.id)).toEqual(ids.slice(0, 2));
    expect(() => inNetworkOrder(partial, constellation)).toThrow(/lacks receiver\(s\)/);
  });

  it('refuses a scene with a station outside its network', () => {
    const { scenes } = groupByCaptureTime([...ids.map((id) => inNet(id)), kiwi('HB9ODP')], (r) =>
      place(r) instanceof HeimdallError ? byList(r) : place(r),
    );
    expect(() => inNetworkOrder(scenes[0], constellation)).toThrow(/outside the model's network/);
  });
});

describe("TDoA's estimate", () => {
  it('says the method and the stations used; no point from a hyperbola', () => {
    const result: TdoaResult = {
      scene: 's1',
      method: 'tdoa',
      stations: [
        { id: 'A', used: true },
        { id: 'B', used: false, reason: 'no fix' },
        { id: 'C', used: true },
      ],
      pairs: [],
      ellipses: [],
      hyperbola: [[8, 50]],
    };
    const e = tdoaEstimate(result);
    expect(e).toMatchObject({ sceneId: 's1', method: 'tdoa', receiverIds: ['A', 'C'] });
    expect(e.lat).toBeUndefined();
    expect(tdoaEstimate({ ...result, lat: 50, lon: 9 })).toMatchObject({ lat: 50, lon: 9 });
  });
});
