import { createHash } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import {
  toCsv,
  toFeatureCollection,
  toKml,
  type TdoaExportRow,
} from '../../src/core/exportFormats';
import { fromLocalOffset } from '../../src/core/geodesy';
import type { RecordingInfo } from '../../src/core/readers/types';
import { tdoaSigmfCollection } from '../../src/core/tdoaSigmf';
import { parseCsv } from '../geo/csvParse';
import { gaussianResult, kOf } from './gaussianResult';

const center = { lat: 50.0152, lon: 9.0112 };
const sigmaKm = 3;
const stations = [
  { id: 'A', lat: 46.5, lon: 8.8 },
  { id: 'B', lat: 51.47, lon: 11.98 },
  { id: 'C', lat: 51.5, lon: 3.6 },
];
// Truth between the 68 % and 95 % radii (1.51 and 2.45 sigma): inside 95 %, outside 68 %.
const truth = fromLocalOffset(center, 0, 2 * sigmaKm * 1000);
const row: TdoaExportRow = {
  result: gaussianResult(center, sigmaKm),
  stations,
  capturedAt: '2020-08-13T06:52:20.000Z',
  place: '3.4 km east of Seligenstadt (DE)',
  truth,
};

describe('TDoA in the exports', () => {
  it('GeoJSON: estimate, both posterior regions as multipolygons, stations, truth', () => {
    const fc = toFeatureCollection([], [row]);
    const kinds = fc.features.map((f) => f.properties.kind);
    expect(kinds.filter((k) => k === 'tdoa-estimate')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'tdoa-station')).toHaveLength(3);
    const regions = fc.features.filter((f) => f.properties.kind === 'tdoa-region');
    expect(regions.map((r) => r.properties.p)).toEqual([0.95, 0.68]);
    expect(regions.map((r) => r.properties.truthInside)).toEqual([true, false]);
    expect(regions[0].geometry.type).toBe('MultiPolygon');
    const est = fc.features.find((f) => f.properties.kind === 'tdoa-estimate');
    expect(est?.geometry.coordinates).toEqual([center.lon, center.lat]);
    expect(est?.properties.place).toBe(row.place);
    expect(Number(est?.properties.errorM)).toBeCloseTo(2 * sigmaKm * 1000, -1);
  });

  it('CSV: a "tdoa" line with the fitted ellipses and the place; no covariance invented', () => {
    const table = parseCsv(toCsv([], [row]));
    expect(table).toHaveLength(2);
    const [header, line] = table;
    const cell = (name: string) => line[header.indexOf(name)];
    expect(cell('model')).toBe('tdoa');
    expect(cell('receivers')).toBe('A;B;C');
    expect(Number(cell('lat'))).toBe(center.lat);
    expect(cell('covEeM2')).toBe('');
    expect(Number(cell('ellipse95SemiMajorM'))).toBeCloseTo(kOf(0.95) * sigmaKm * 1000, 3);
    expect(cell('truthInside95')).toBe('true');
    expect(cell('truthInside68')).toBe('false');
    expect(cell('place')).toBe(row.place);
  });

  it('KML: a TDoA folder with the estimate, two region placemarks and the stations', () => {
    const doc = new DOMParser().parseFromString(toKml([], [row]), 'text/xml');
    const names = [...Array.from(doc.getElementsByTagName('Placemark'))].map(
      (p) => p.getElementsByTagName('name')[0]?.textContent,
    );
    expect(names).toEqual(['TDoA test-scene', '95% region', '68% region', 'A', 'B', 'C', 'truth']);
    expect(doc.getElementsByTagName('MultiGeometry')).toHaveLength(2);
  });

  it('SigMF collection: spatial:emitter_location on every recording, streams hashed with SHA-512', async () => {
    const info = (name: string): RecordingInfo => ({
      name,
      format: 'kiwi-wav',
      datatype: 'ci16_le',
      sampleRateHz: 12001,
      centerFrequencyHz: 77500,
      captureTime: '2020-08-13T06:52:20.000Z',
      totalSamples: 360960,
      extra: {},
    });
    const files = await tdoaSigmfCollection(
      row.result,
      stations.map((s) => ({ info: info(`20200813T065220Z_77500_${s.id}_iq.wav`), station: s })),
      row.place,
    );
    expect(files.map((f) => f.name)).toEqual([
      'test-scene.sigmf-collection',
      '20200813T065220Z_77500_A_iq.sigmf-meta',
      '20200813T065220Z_77500_B_iq.sigmf-meta',
      '20200813T065220Z_77500_C_iq.sigmf-meta',
    ]);
    const collection = JSON.parse(files[0].text).collection;
    expect(collection['core:extensions'][0].name).toBe('spatial');
    for (const [i, f] of files.slice(1).entries()) {
      const meta = JSON.parse(f.text);
      expect(meta.global['core:metadata_only']).toBe(true);
      expect(meta.global['core:geolocation'].coordinates).toEqual([
        stations[i].lon,
        stations[i].lat,
      ]);
      expect(meta.annotations[0]['spatial:emitter_location']).toEqual({
        type: 'Point',
        coordinates: [center.lon, center.lat],
      });
      expect(meta.annotations[0]['core:sample_count']).toBe(360960);
      expect(collection['core:streams'][i]).toEqual({
        name: f.name.replace('.sigmf-meta', ''),
        hash: createHash('sha512').update(f.text).digest('hex'),
      });
    }
  });

  it('leaves model-only CSV files exactly as they were (no place column)', () => {
    expect(toCsv([]).split('\r\n')[0]).not.toContain('place');
  });
});
