import { DOMParser, type Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { decodeRow } from '../../src/core/decode';
import { ellipsePolygon } from '../../src/core/ellipse';
import {
  toCsv,
  toFeatureCollection,
  toGeoJSON,
  toKml,
  xmlEscape,
  type ResultRow,
} from '../../src/core/exportFormats';
import { fromLocalOffset, geodesicInverse, localOffset } from '../../src/core/geodesy';
import { maidenhead } from '../../src/core/maidenhead';
import { outputLayouts, type ModelOutput } from '../../src/core/modelMetadata';
import { parseCsv } from './csvParse';

const output: ModelOutput = {
  name: 'estimate',
  covariance: 'full',
  layout: [...outputLayouts.full],
  frame: 'local-east-north-at-estimate',
};

function row(
  values: number[],
  extra: Omit<ResultRow, 'lat' | 'lon' | 'cov' | 'ellipses'>,
): ResultRow {
  const e = decodeRow(values, output);
  return { ...e, ...extra };
}

const rows: ResultRow[] = [
  row([48.1467, 11.6083, 1200, 800, 0.6], {
    scene: 'munich "roof", take 2\nsecond line <&>',
    model: '1.2.0',
    receivers: ['rx-a', 'rx-b', 'rx-c'],
    // 1100 m west, 900 m north, across the positive correlation: whitened radius 2.29, between
    // k(68 %) = 1.51 and k(95 %) = 2.45.
    truth: fromLocalOffset({ lat: 48.1467, lon: 11.6083 }, -1100, 900),
    capturedAt: '2024-05-01T10:20:30Z',
  }),
  row([-16.9, 179.99, 5000, 15000, -0.2], {
    scene: '=HYPERLINK("x")',
    model: '1.3.0-rc',
    receivers: ['fiji-1'],
  }),
];

describe('toGeoJSON', () => {
  const fc = JSON.parse(toGeoJSON(rows));

  it('is a FeatureCollection: per estimate a point, one polygon per ellipse, and the truth when known', () => {
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { properties: { kind: string } }) => f.properties.kind)).toEqual([
      'estimate',
      'ellipse',
      'ellipse',
      'truth',
      'estimate',
      'ellipse',
      'ellipse',
    ]);
    // Features that do not cross the antimeridian are the map's own.
    expect(fc.features.slice(0, 5)).toEqual(toFeatureCollection(rows).features.slice(0, 5));
  });

  it('holds the same numbers', () => {
    const [point, e68, e95, truth] = fc.features;
    expect(point.geometry).toEqual({ type: 'Point', coordinates: [rows[0].lon, rows[0].lat] });
    expect(point.properties).toMatchObject({
      scene: rows[0].scene,
      model: '1.2.0',
      receivers: ['rx-a', 'rx-b', 'rx-c'],
      capturedAt: '2024-05-01T10:20:30Z',
      locator: 'JN58td',
      covEeM2: rows[0].cov.ee,
      covEnM2: rows[0].cov.en,
      covNnM2: rows[0].cov.nn,
      errorM: geodesicInverse(rows[0], rows[0].truth!).distanceM,
    });
    expect(e68.geometry.type).toBe('Polygon');
    expect(e68.geometry.coordinates).toEqual([ellipsePolygon(rows[0], rows[0].cov, 0.68)]);
    expect(e95.properties).toMatchObject(rows[0].ellipses[1]);
    expect(e95.properties.p).toBe(0.95);
    expect(truth.geometry.coordinates).toEqual([rows[0].truth!.lon, rows[0].truth!.lat]);
    expect(fc.features[4].properties.errorM).toBeNull();
    expect(fc.features[5].properties.truthInside).toBeNull();
  });

  it('flags whether the truth is inside each ellipse', () => {
    const off = localOffset(rows[0], rows[0].truth!);
    const { ee, en, nn } = rows[0].cov;
    const r = Math.sqrt(
      (nn * off.eastM ** 2 - 2 * en * off.eastM * off.northM + ee * off.northM ** 2) /
        (ee * nn - en * en),
    );
    expect(r).toBeCloseTo(2.286, 3);
    expect(fc.features[1].properties.truthInside).toBe(false);
    expect(fc.features[2].properties.truthInside).toBe(true);
  });

  it('cuts an ellipse across the antimeridian in two, as RFC 7946 asks, losing none of it', () => {
    // The map's ring runs on past 180 (one shape on screen); a GIS reading WGS 84 needs parts.
    const continuous = toFeatureCollection(rows).features[6].geometry as {
      coordinates: number[][][];
    };
    expect(Math.max(...continuous.coordinates[0].map((c) => c[0]))).toBeGreaterThan(180);
    const cut = fc.features[6].geometry;
    expect(cut.type).toBe('MultiPolygon');
    expect(cut.coordinates).toHaveLength(2);
    const lons = (cut.coordinates as number[][][][]).flat(2).map((c) => c[0]);
    expect(Math.min(...lons)).toBe(-180);
    expect(Math.max(...lons)).toBe(180);
    const area = (ring: number[][]) =>
      ring.slice(1).reduce((a, [x, y], i) => a + ring[i][0] * y - x * ring[i][1], 0) / 2;
    const parts = (cut.coordinates as number[][][][]).reduce((a, poly) => a + area(poly[0]), 0);
    expect(parts).toBeCloseTo(area(continuous.coordinates[0]), 9);
  });
});

describe('toCsv', () => {
  const text = toCsv(rows);
  const records = parseCsv(text);
  const [header, ...lines] = records;
  const col = (line: string[], name: string) => line[header.indexOf(name)];

  it('has a header and one CRLF line per estimate, every line as wide as the header', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    expect(header.slice(0, 4)).toEqual(['scene', 'capturedAt', 'model', 'receivers']);
    expect(header).toContain('ellipse68SemiMajorM');
    expect(header).toContain('ellipse95AzimuthDeg');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toHaveLength(header.length);
  });

  it('quotes commas, quotes and line breaks and defuses formulas', () => {
    expect(text).toContain('"munich ""roof"", take 2\nsecond line <&>"');
    expect(col(lines[0], 'scene')).toBe(rows[0].scene);
    expect(col(lines[1], 'scene')).toBe(`'${rows[1].scene}`);
    expect(col(lines[0], 'receivers')).toBe('rx-a;rx-b;rx-c');
  });

  it('holds the same numbers, exactly', () => {
    rows.forEach((r, i) => {
      const line = lines[i];
      expect(Number(col(line, 'lat'))).toBe(r.lat);
      expect(Number(col(line, 'lon'))).toBe(r.lon);
      expect(col(line, 'locator')).toBe(maidenhead(r.lat, r.lon));
      expect(Number(col(line, 'covEnM2'))).toBe(r.cov.en);
      expect(Number(col(line, 'ellipse68SemiMajorM'))).toBe(r.ellipses[0].semiMajorM);
      expect(Number(col(line, 'ellipse95SemiMinorM'))).toBe(r.ellipses[1].semiMinorM);
      expect(Number(col(line, 'ellipse95AzimuthDeg'))).toBe(r.ellipses[1].azimuthDeg);
    });
    expect(Number(col(lines[0], 'errorM'))).toBe(
      geodesicInverse(rows[0], rows[0].truth!).distanceM,
    );
    expect(col(lines[0], 'truthInside68')).toBe('false');
    expect(col(lines[0], 'truthInside95')).toBe('true');
    expect(col(lines[1], 'truthLat')).toBe('');
    expect(col(lines[1], 'capturedAt')).toBe('');
  });

  it('is just a header for no rows', () => {
    expect(parseCsv(toCsv([]))).toHaveLength(1);
  });
});

describe('toKml', () => {
  const text = toKml(rows);
  const doc = new DOMParser({
    onError: (level: string, message: string) => {
      throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(text, 'text/xml');
  const KML = 'http://www.opengis.net/kml/2.2';
  const all = (
    el: { getElementsByTagNameNS(ns: string, name: string): ArrayLike<Element> },
    name: string,
  ) => Array.from(el.getElementsByTagNameNS(KML, name));
  const coords = (el: Element) =>
    all(el, 'coordinates')[0]
      .textContent!.trim()
      .split(/\s+/)
      .map((p) => p.split(',').map(Number));
  const data = (el: Element, name: string) =>
    all(el, 'Data')
      .find((d) => d.getAttribute('name') === name)
      ?.getElementsByTagNameNS(KML, 'value')[0].textContent;

  it('is well-formed KML 2.2', () => {
    expect(
      text.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">',
      ),
    ).toBe(true);
    expect(doc.documentElement!.namespaceURI).toBe(KML);
    expect(doc.documentElement!.localName).toBe('kml');
    // The parser tolerates a bare '&'; XML does not.
    expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    expect(all(doc.documentElement!, 'Folder')).toHaveLength(2);
    expect(all(doc.documentElement!, 'Placemark')).toHaveLength(7);
  });

  it('holds the same text and numbers', () => {
    const [first, second] = all(doc.documentElement!, 'Folder');
    expect(all(first, 'name')[0].textContent).toBe(rows[0].scene);
    const [point, e68, e95, truth] = all(first, 'Placemark');
    expect(coords(point)[0][0]).toBeCloseTo(rows[0].lon, 9);
    expect(coords(point)[0][1]).toBeCloseTo(rows[0].lat, 9);
    expect(Number(data(point, 'covEnM2'))).toBe(rows[0].cov.en);
    expect(data(point, 'receivers')).toBe('rx-a, rx-b, rx-c');
    expect(all(point, 'when')[0].textContent).toBe('2024-05-01T10:20:30.000Z');
    expect(Number(data(e68, 'semiMajorM'))).toBe(rows[0].ellipses[0].semiMajorM);
    expect(Number(data(e95, 'azimuthDeg'))).toBe(rows[0].ellipses[1].azimuthDeg);
    const ring = ellipsePolygon(rows[0], rows[0].cov, 0.95);
    const kmlRing = coords(e95);
    expect(kmlRing).toHaveLength(ring.length);
    kmlRing.forEach(([lon, lat], i) => {
      expect(Math.abs(lon - ring[i][0])).toBeLessThan(1e-9);
      expect(Math.abs(lat - ring[i][1])).toBeLessThan(1e-9);
    });
    expect(Number(data(truth, 'errorM'))).toBe(geodesicInverse(rows[0], rows[0].truth!).distanceM);
    expect(all(second, 'name')[0].textContent).toBe(rows[1].scene);
    // Across the antimeridian KML gets longitudes wrapped into [-180, 180].
    for (const [lon] of coords(all(second, 'Placemark')[2]))
      expect(Math.abs(lon)).toBeLessThanOrEqual(180);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(xmlEscape(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(xmlEscape('bell\u0007 tab\t lone\ud800 pair\ud83d\udce1')).toBe(
      'bell\ufffd tab\t lone\ufffd pair\ud83d\udce1',
    );
    const nasty = toKml([{ ...rows[1], scene: 'x\u0001</name></Folder><Folder>' }]);
    expect(nasty).toContain('x\ufffd&lt;/name&gt;&lt;/Folder&gt;&lt;Folder&gt;');
  });
});
