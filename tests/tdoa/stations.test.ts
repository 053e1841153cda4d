import { describe, expect, it } from 'vitest';
import { matchStation, parseStationList, stationListJson } from '../../src/core/stations';
import type { RecordingInfo } from '../../src/core/readers/types';

const info = (over: Partial<RecordingInfo>): RecordingInfo => ({
  name: 'x.wav',
  format: 'kiwi-wav',
  datatype: 'ci16_le',
  sampleRateHz: 12001,
  totalSamples: 1,
  extra: {},
  ...over,
});

const LIST = parseStationList(
  JSON.stringify({
    stations: [
      { id: 'HB9ODP', lat: 46.499351, lon: 8.798828 },
      { id: 'JO51xl', lat: 51.466044, lon: 11.977189, altM: 120, name: 'Leipzig' },
    ],
  }),
  'st.json',
).stations;

describe('station list', () => {
  it('parses and round-trips', () => {
    expect(LIST).toHaveLength(2);
    expect(LIST[1]).toEqual({
      id: 'JO51xl',
      lat: 51.466044,
      lon: 11.977189,
      altM: 120,
      name: 'Leipzig',
    });
    expect(parseStationList(stationListJson({ stations: LIST }), 'again.json').stations).toEqual(
      LIST,
    );
  });

  it.each([
    ['{', /st\.json: the station list is not valid JSON/],
    [
      '{"stations": [{"id": "A", "lat": 95, "lon": 0}]}',
      /st\.json: station list stations\[0\]\.lat: /,
    ],
    ['{"stations": [{"id": "A", "lon": 0}]}', /stations\[0\]\.lat/],
    [
      '{"stations": [{"id": "", "lat": 1, "lon": 0}]}',
      /stations\[0\]\.id: must be a non-empty station id/,
    ],
    ['{"station": []}', /st\.json: station list/],
    [
      '{"stations": [{"id": "A", "lat": 1, "lon": 0}, {"id": "A", "lat": 2, "lon": 0}]}',
      /"A" twice/,
    ],
  ])('rejects %s with a clear error naming the file', (text, message) => {
    expect(() => parseStationList(text, 'st.json')).toThrow(message);
    try {
      parseStationList(text, 'st.json');
    } catch (err) {
      expect((err as Error).name).toBe('ConfigError');
    }
  });
});

describe('matchStation', () => {
  it('matches the kiwirecorder station id exactly, case as written', () => {
    const m = matchStation(
      info({ name: '20200813T065220Z_77500_JO51xl_iq.wav', receiverHint: 'JO51xl' }),
      LIST,
    );
    expect(m.source).toBe('station-list');
    expect(m.station?.lat).toBe(51.466044);
  });

  it('says when the id only differs in case, and when a station has no position', () => {
    const m = matchStation(info({ receiverHint: 'jo51XL' }), LIST);
    expect(m.station).toBeUndefined();
    expect(m.reason).toMatch(/"jo51XL" has no position.*"JO51xl", which differs in case/);
    const none = matchStation(info({ receiverHint: 'F1ABC' }), LIST);
    expect(none.reason).toMatch(/"F1ABC" has no position: it is not in the station list/);
    expect(matchStation(info({}), LIST).reason).toMatch(/names no station/);
  });

  it("prefers the recording's own SigMF geolocation", () => {
    const m = matchStation(
      info({ format: 'sigmf', receiverHint: 'HB9ODP', geolocation: { lat: 10, lon: 20, altM: 5 } }),
      LIST,
    );
    expect(m).toMatchObject({
      id: 'HB9ODP',
      source: 'sigmf-geolocation',
      station: { lat: 10, lon: 20, altM: 5 },
    });
  });

  it('places a file named after a station of the list (renamed by hand, or kiwirecorder --fn NAME_ID.wav)', () => {
    const list = [...LIST, { id: 'ODP', lat: 1, lon: 2 }];
    expect(matchStation(info({ name: 'dir/HB9ODP.wav' }), list)).toMatchObject({
      id: 'HB9ODP',
      source: 'station-list',
    });
    // The longest id the name ends with: HB9ODP, not ODP.
    expect(matchStation(info({ name: 'dcf77_HB9ODP.wav' }), list).id).toBe('HB9ODP');
    expect(matchStation(info({ name: 'dcf77_ODP.wav' }), list).id).toBe('ODP');
    // Not a suffix without its underscore, nor a case-folded id.
    expect(matchStation(info({ name: 'xHB9ODP.wav' }), list).station).toBeUndefined();
    expect(matchStation(info({ name: 'hb9odp.wav' }), list).station).toBeUndefined();
    // A generated kiwirecorder name without a station part names none, whatever it ends with.
    const noStation = matchStation(info({ name: '20200813T065220Z_77500_iq.wav' }), [
      ...list,
      { id: 'iq', lat: 0, lon: 0 },
    ]);
    expect(noStation.station).toBeUndefined();
    expect(noStation.reason).toMatch(/recorded without --station/);
  });

  it("places the TDoA service's file names, which write a station's '/' as '-'", () => {
    const list = [...LIST, { id: 'F1JEK/P', lat: 1, lon: 2 }, { id: 'DL-1', lat: 3, lon: 4 }];
    expect(matchStation(info({ receiverHint: 'F1JEK-P' }), list)).toMatchObject({
      id: 'F1JEK/P',
      station: { lat: 1 },
    });
    // A dash in the list's own id still matches as written.
    expect(matchStation(info({ receiverHint: 'DL-1' }), list).station?.lat).toBe(3);
  });
});
