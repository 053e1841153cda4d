/**
 * Scenes of any receivers (issue 13) as the worker groups them for the page: each scene with the
 * model that will locate it (the rule of src/core/scene/servingModel.ts), its own receiver
 * columns, and, where no model serves it, why; and the stations the table and map show.
 */
import { describe, expect, it } from 'vitest';
import { stationListChoice } from '../../src/core/scene/placement';
import type { ServingSpec } from '../../src/core/scene/servingModel';
import {
  locatable,
  mapStations,
  resultIsCurrent,
  sceneViews,
  stationsOf,
} from '../../src/state/scenes';
import type { RecordingEntry } from '../../src/state/types';
import { groupRecordings } from '../../workers/groupScenes';
import { SERVING_CASES } from '../support/servingCases';
import { CONSTELLATION, prediction, recording } from './fixtures';

const CANDIDATES: ServingSpec[] = [
  { kind: 'fixed', version: '1.1.0', constellation: CONSTELLATION },
  {
    kind: 'any-network',
    version: '2.0.0',
    serves: { kind: 'any-network', minReceivers: 2, maxReceivers: 12, bandHz: [144e6, 146e6] },
  },
];
const STATIONS = ['k1', 'k2', 'k3', 'k4', 'k5'].map((id, i) => ({
  id,
  lat: 46 + 0.3 * i,
  lon: 10 + 0.4 * i,
  name: `Site ${id}`,
}));
const AT = (s: number) => `2026-01-01T12:0${s}:00.000Z`;

function group(recs: RecordingEntry[], candidates = CANDIDATES, stations = STATIONS) {
  const opened = recs.map((r) => [r.id, r] as const);
  const overrides: Record<string, string> = {};
  for (const r of recs) if (r.overrideReceiverId) overrides[r.id] = r.overrideReceiverId;
  return sceneViews(
    groupRecordings(opened, CONSTELLATION, { stations, overrides }, candidates),
    recs,
  );
}

describe('scenes of any receivers', () => {
  const five = STATIONS.map((s, i) =>
    recording(`n${i}`, `n${i}.sigmf-data`, { receiverHint: s.id, captureTime: AT(1) }),
  );
  const fixed = CONSTELLATION.receivers.map((r, i) =>
    recording(`f${i}`, `f${i}.sigmf-data`, { receiverHint: r.id, captureTime: AT(3) }),
  );

  it('gives a five-station scene to 2.0.0 with its own columns, the fixed network to 1.1.0', () => {
    const d = group([...fixed, ...five]);
    expect(d.errors).toEqual([]);
    const [net, fix] = d.scenes;
    expect(net).toMatchObject({ model: '2.0.0', recordingIds: ['n0', 'n1', 'n2', 'n3', 'n4'] });
    expect(net.receivers.map((r) => r.id)).toEqual(STATIONS.map((s) => s.id));
    expect(fix).toMatchObject({ model: '1.1.0', missingReceiverIds: [] });
    expect(fix.receivers.map((r) => r.id)).toEqual(CONSTELLATION.receivers.map((r) => r.id));
    expect(d.scenes.every(locatable)).toBe(true);
    // Table columns: the fixed network's receivers lead, then the other stations.
    expect(stationsOf(d.scenes, CONSTELLATION.receivers).map((r) => r.id)).toEqual([
      ...CONSTELLATION.receivers.map((r) => r.id),
      ...STATIONS.map((s) => s.id),
    ]);
    // Without the fixed network's scenes, its receivers take no column and leave the map.
    const alone = group(five).scenes;
    expect(stationsOf(alone, CONSTELLATION.receivers)).toHaveLength(5);
    expect(mapStations(alone, CONSTELLATION.receivers).map((r) => r.id)).toEqual(
      STATIONS.map((s) => s.id),
    );
    // With one of its receivers in any scene, or before any scene, the whole network is shown.
    expect(mapStations(d.scenes, CONSTELLATION.receivers)).toHaveLength(8);
    expect(mapStations([], CONSTELLATION.receivers)).toEqual(CONSTELLATION.receivers);
  });

  it('gives two of the fixed receivers to 2.0.0, showing the third as missing', () => {
    const two = group(fixed.slice(0, 2));
    expect(two.scenes[0]).toMatchObject({
      model: '2.0.0',
      recordingIds: ['f0', 'f1', null],
      missingReceiverIds: ['genova'],
    });
    expect(locatable(two.scenes[0])).toBe(true);
    // Located from two receivers, then completed by the third: its result is no longer current.
    const fromTwo = {
      ...prediction(two.scenes[0].id, 45, 8),
      receiverIds: ['aquila-giaveno', 'milano-baggio'],
    };
    expect(resultIsCurrent(two.scenes[0], fromTwo)).toBe(true);
    expect(resultIsCurrent(group(fixed).scenes[0], fromTwo)).toBe(false);
    const fixedOnly = group(fixed.slice(0, 2), CANDIDATES.slice(0, 1));
    expect(fixedOnly.scenes[0]).toMatchObject({ model: null, missingReceiverIds: ['genova'] });
    expect(locatable(fixedOnly.scenes[0])).toBe(false);
  });

  it('says why on a scene of one station, a second recording of a station, an unplaced one', () => {
    const lone = recording('x', 'lone.sigmf-data', { receiverHint: 'k1', captureTime: AT(5) });
    const twice = recording('y', 'again.sigmf-data', { receiverHint: 'k2', captureTime: AT(1) });
    const nowhere = recording('z', 'nowhere.sigmf-data', { captureTime: AT(1) });
    const d = group([...five, lone, twice, nowhere]);
    const single = d.scenes.find((s) => s.recordingIds.includes('x'))!;
    expect(single.model).toBeNull();
    expect(single.problem?.name).toBe('SceneIncompleteError');
    expect(single.problem?.message).toMatch(/1 receiver\(s\).*needs 2 to 12/);
    expect(locatable(single)).toBe(false);
    // The five-station scene is unharmed; each stray file has its own error.
    expect(d.scenes.find((s) => s.recordingIds.includes('n0'))?.model).toBe('2.0.0');
    expect(d.errors.map((e) => [e.file, e.error.name])).toEqual([
      ['nowhere.sigmf-data', 'ReceiverUnknownError'],
      ['again.sigmf-data', 'SceneIncompleteError'],
    ]);
  });

  it("places a recording at the station-list station the operator chose (the Files view's drop-down)", () => {
    const nowhere = recording('z', 'nowhere.sigmf-data', { captureTime: AT(1) });
    const chosen = { ...nowhere, overrideReceiverId: stationListChoice('k5') };
    const d = group([...five.slice(0, 4), chosen]);
    expect(d.errors).toEqual([]);
    expect(d.placements.z).toEqual({ station: STATIONS[4], source: 'operator' });
    expect(d.scenes[0]).toMatchObject({
      model: '2.0.0',
      recordingIds: ['n0', 'n1', 'n2', 'n3', 'z'],
    });
    // A fixed receiver is still chosen by its bare id.
    const atGenova = group([{ ...nowhere, overrideReceiverId: 'genova' }]);
    expect(atGenova.placements.z).toMatchObject({ station: { id: 'genova' }, source: 'operator' });
    // The chosen station deleted from the list: the file says so, by name.
    const gone = group([...five.slice(0, 4), chosen], CANDIDATES, STATIONS.slice(0, 4));
    expect(gone.errors.map((e) => [e.file, e.error.name, e.error.message])).toEqual([
      [
        'nowhere.sigmf-data',
        'ReceiverUnknownError',
        'nowhere.sigmf-data: was placed by hand at station "k5", which the station list no longer has',
      ],
    ]);
  });

  it("groups recordings made at each serving case's stations for the model the rule picks", () => {
    for (const c of SERVING_CASES) {
      // Each recording names its station and carries where it was made (SigMF core:geolocation).
      const recs = c.stations.map((st, i) =>
        recording(`c${i}`, `c${i}.sigmf-data`, {
          receiverHint: st.id,
          geolocation: { lat: st.lat, lon: st.lon },
          captureTime: AT(7),
        }),
      );
      const [scene] = group(recs).scenes;
      expect(scene.model ?? 'none', c.name).toBe(
        { fixed: '1.1.0', 'any-network': '2.0.0', none: 'none' }[c.withBoth],
      );
    }
  });
});
