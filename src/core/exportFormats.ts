/**
 * Result export: GeoJSON (RFC 7946), CSV (RFC 4180) and KML 2.2. All three carry the same
 * numbers; the ellipse rings come from ellipsePolygon so every format draws the same shape.
 * TDoA results (issue 12) ride along in each: their 68 %/95 % posterior regions as polygons, the
 * fitted ellipses, modes, the hyperbola of a two-station scene, the stations used.
 */
import { cutAtAntimeridian } from './antimeridian';
import { ellipsePolygon, insideEllipse, type Cov2, type EllipseSummary } from './ellipse';
import { geodesicInverse, localOffset, wrapLonDeg, type LatLon } from './geodesy';
import {
  featureCollection,
  type Feature,
  type FeatureCollection,
  type Geometry,
  type Position,
} from './geojson';
import { maidenhead } from './maidenhead';
import type { Station, TdoaResult } from './tdoa/types';
import { covFromEllipse, insideTdoaRegion, tdoaRegions, type RegionPolygons } from './tdoaRegions';

export interface ResultRow {
  scene: string;
  lat: number;
  lon: number;
  model: string;
  receivers: string[];
  ellipses: EllipseSummary[];
  cov: Cov2;
  /** Known transmitter position (simulated or surveyed scenes). */
  truth?: LatLon;
  /** ISO 8601 time of the recording. */
  capturedAt?: string;
}

/** A TDoA result with what the export needs around it. */
export interface TdoaExportRow {
  result: TdoaResult;
  /** Positions of the result's stations. */
  stations: readonly Station[];
  capturedAt?: string;
  /** "12 km north-east of X". */
  place?: string;
  truth?: LatLon;
}

type Properties = Record<string, string | number | boolean | string[] | null>;
export type GeoJsonFeature = Feature<Geometry, Properties>;
export type GeoJsonFeatureCollection = FeatureCollection<GeoJsonFeature>;

/** "68" for 0.68, "99.5" for 0.995: the label of a probability in column and style names. */
export function percentLabel(p: number): string {
  return String(Number((p * 100).toFixed(6)));
}

/** Distance to the truth and whether it falls inside each ellipse; empty without a truth. */
function truthCheck(row: ResultRow): { errorM: number; inside: Map<number, boolean> } | undefined {
  if (!row.truth) return undefined;
  const off = localOffset(row, row.truth);
  const inside = new Map(
    row.ellipses.map((e) => [e.p, insideEllipse(row.cov, off.eastM, off.northM, e.p)]),
  );
  return { errorM: geodesicInverse(row, row.truth).distanceM, inside };
}

export function toFeatureCollection(
  rows: readonly ResultRow[],
  tdoa: readonly TdoaExportRow[] = [],
): GeoJsonFeatureCollection {
  const features: GeoJsonFeature[] = [];
  for (const row of rows) {
    const check = truthCheck(row);
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [row.lon, row.lat] },
      properties: {
        kind: 'estimate',
        scene: row.scene,
        model: row.model,
        receivers: [...row.receivers],
        capturedAt: row.capturedAt ?? null,
        locator: maidenhead(row.lat, row.lon),
        covEeM2: row.cov.ee,
        covEnM2: row.cov.en,
        covNnM2: row.cov.nn,
        errorM: check ? check.errorM : null,
      },
    });
    for (const e of row.ellipses) {
      features.push({
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: [ellipsePolygon(row, row.cov, e.p)] },
        properties: {
          kind: 'ellipse',
          scene: row.scene,
          model: row.model,
          p: e.p,
          semiMajorM: e.semiMajorM,
          semiMinorM: e.semiMinorM,
          azimuthDeg: e.azimuthDeg,
          truthInside: check ? (check.inside.get(e.p) ?? null) : null,
        },
      });
    }
    if (row.truth && check) {
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [row.truth.lon, row.truth.lat] },
        properties: { kind: 'truth', scene: row.scene, errorM: check.errorM },
      });
    }
  }
  for (const row of tdoa) features.push(...tdoaFeatures(row));
  return featureCollection(features);
}

/** A TDoA result's point: null when it has none (two stations: a hyperbola). */
function tdoaPoint(r: TdoaResult): LatLon | null {
  return r.lat !== undefined && r.lon !== undefined ? { lat: r.lat, lon: r.lon } : null;
}

/** Whether the truth lies in the TDoA region holding p (the grid's region, else the ellipse). */
function tdoaTruthInside(row: TdoaExportRow, p: number): boolean | null {
  const { result, truth } = row;
  if (!truth) return null;
  const g = result.grid;
  if (g) return insideTdoaRegion(result, p, truth);
  const at = tdoaPoint(result);
  const e = result.ellipses.find((x) => x.p === p);
  if (!at || !e) return null;
  const off = localOffset(at, truth);
  return insideEllipse(covFromEllipse(e), off.eastM, off.northM, p);
}

function tdoaRegionRings(row: TdoaExportRow): { p: number; coordinates: RegionPolygons }[] {
  const { result } = row;
  if (result.grid) return tdoaRegions(result.grid, result.modes);
  const at = tdoaPoint(result);
  if (!at) return [];
  return result.ellipses.map((e) => ({
    p: e.p,
    coordinates: [[ellipsePolygon(at, covFromEllipse(e), e.p)]],
  }));
}

/** The GeoJSON features of one TDoA result. */
export function tdoaFeatures(row: TdoaExportRow): GeoJsonFeature[] {
  const { result } = row;
  const at = tdoaPoint(result);
  const scene = result.scene;
  const used = result.stations.filter((s) => s.used).map((s) => s.id);
  const out: GeoJsonFeature[] = [];
  if (at) {
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [at.lon, at.lat] },
      properties: {
        kind: 'tdoa-estimate',
        scene,
        method: 'tdoa',
        stations: used,
        capturedAt: row.capturedAt ?? null,
        locator: maidenhead(at.lat, at.lon),
        place: row.place ?? null,
        pairs: result.pairs.map(
          (p) => `${p.a}-${p.b}: ${p.lagUs.toFixed(2)} +- ${p.sigmaUs.toFixed(2)} us`,
        ),
        errorM: row.truth ? geodesicInverse(at, row.truth).distanceM : null,
      },
    });
  }
  for (const region of tdoaRegionRings(row)) {
    const e = result.ellipses.find((x) => x.p === region.p);
    out.push({
      type: 'Feature',
      geometry: { type: 'MultiPolygon', coordinates: region.coordinates },
      properties: {
        kind: 'tdoa-region',
        scene,
        p: region.p,
        semiMajorM: e?.semiMajorM ?? null,
        semiMinorM: e?.semiMinorM ?? null,
        azimuthDeg: e?.azimuthDeg ?? null,
        truthInside: tdoaTruthInside(row, region.p),
      },
    });
  }
  for (const m of result.modes ?? []) {
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [m.lon, m.lat] },
      properties: { kind: 'tdoa-mode', scene, weight: m.weight },
    });
  }
  if (result.hyperbola) {
    out.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: result.hyperbola },
      properties: { kind: 'tdoa-hyperbola', scene, stations: used },
    });
  }
  for (const use of result.stations) {
    const s = row.stations.find((x) => x.id === use.id);
    if (!s) continue;
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: {
        kind: 'tdoa-station',
        scene,
        id: s.id,
        used: use.used,
        reason: use.reason ?? null,
        sampleRateHz: use.timing?.sampleRateHz ?? null,
        gpsFixAgeS: use.timing?.gpsFixAgeS ?? null,
      },
    });
  }
  if (row.truth) {
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [row.truth.lon, row.truth.lat] },
      properties: {
        kind: 'truth',
        scene,
        errorM: at ? geodesicInverse(at, row.truth).distanceM : null,
      },
    });
  }
  return out;
}

/**
 * GeoJSON text. The features' rings and lines run on past ±180 as the map draws them; here they
 * are cut at the antimeridian as RFC 7946 asks (antimeridian.ts), so a GIS reading WGS 84 puts
 * every part on the world.
 */
export function toGeoJSON(rows: readonly ResultRow[], tdoa: readonly TdoaExportRow[] = []): string {
  const fc = toFeatureCollection(rows, tdoa);
  const cut = featureCollection(
    fc.features.map((f) => ({ ...f, geometry: cutAtAntimeridian(f.geometry) })),
  );
  return JSON.stringify(cut, null, 1) + '\n';
}

// --- CSV ---------------------------------------------------------------------------------------

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading
 * apostrophe (OWASP CSV injection advice); scene names come from user file names.
 */
function textCell(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function quoteCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

type Cell = string | number | boolean | undefined;

/** CSV with a header line, CRLF line ends and RFC 4180 quoting; one line per estimate. */
export function toCsv(rows: readonly ResultRow[], tdoa: readonly TdoaExportRow[] = []): string {
  const probabilities = [
    ...new Set([...rows, ...tdoa.map((t) => t.result)].flatMap((r) => r.ellipses.map((e) => e.p))),
  ].sort((a, b) => a - b);
  const header = [
    'scene',
    'capturedAt',
    'model',
    'receivers',
    'lat',
    'lon',
    'locator',
    'covEeM2',
    'covEnM2',
    'covNnM2',
  ];
  for (const p of probabilities) {
    const l = percentLabel(p);
    header.push(
      `ellipse${l}SemiMajorM`,
      `ellipse${l}SemiMinorM`,
      `ellipse${l}AzimuthDeg`,
      `truthInside${l}`,
    );
  }
  header.push('truthLat', 'truthLon', 'errorM');
  // TDoA rows (model "tdoa") add where they are, in words; model-only files keep their columns.
  if (tdoa.length > 0) header.push('place');
  const lines = [header.join(',')];
  for (const row of rows) {
    const check = truthCheck(row);
    const cells: Cell[] = [
      textCell(row.scene),
      row.capturedAt === undefined ? undefined : textCell(row.capturedAt),
      textCell(row.model),
      textCell(row.receivers.join(';')),
      row.lat,
      row.lon,
      maidenhead(row.lat, row.lon),
      row.cov.ee,
      row.cov.en,
      row.cov.nn,
    ];
    for (const p of probabilities) {
      const e = row.ellipses.find((x) => x.p === p);
      cells.push(
        e?.semiMajorM,
        e?.semiMinorM,
        e?.azimuthDeg,
        e && check ? check.inside.get(p) : undefined,
      );
    }
    cells.push(row.truth?.lat, row.truth?.lon, check?.errorM);
    if (tdoa.length > 0) cells.push(undefined);
    lines.push(cells.map((c) => (c === undefined ? '' : quoteCell(String(c)))).join(','));
  }
  for (const t of tdoa) {
    const at = tdoaPoint(t.result);
    const cells: Cell[] = [
      textCell(t.result.scene),
      t.capturedAt === undefined ? undefined : textCell(t.capturedAt),
      'tdoa',
      textCell(
        t.result.stations
          .filter((s) => s.used)
          .map((s) => s.id)
          .join(';'),
      ),
      at?.lat,
      at?.lon,
      at ? maidenhead(at.lat, at.lon) : undefined,
      // The posterior is not Gaussian: its regions, not a covariance, describe it.
      undefined,
      undefined,
      undefined,
    ];
    for (const p of probabilities) {
      const e = t.result.ellipses.find((x) => x.p === p);
      cells.push(e?.semiMajorM, e?.semiMinorM, e?.azimuthDeg, tdoaTruthInside(t, p) ?? undefined);
    }
    cells.push(
      t.truth?.lat,
      t.truth?.lon,
      at && t.truth ? geodesicInverse(at, t.truth).distanceM : undefined,
      t.place === undefined ? undefined : textCell(t.place),
    );
    lines.push(cells.map((c) => (c === undefined ? '' : quoteCell(String(c)))).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

// --- KML ---------------------------------------------------------------------------------------

// Characters XML 1.0 forbids even escaped: C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates.
const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes XML text, replacing the characters XML 1.0 forbids with U+FFFD. */
export function xmlEscape(s: string): string {
  return s
    .replace(XML_FORBIDDEN, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Plain decimal (KML readers do not all accept exponents), 1e-9 degrees = 0.1 mm. */
function kmlDeg(x: number): string {
  return x.toFixed(9).replace(/\.?0+$/, '');
}

function kmlCoords(lon: number, lat: number): string {
  // KML wants longitudes in [-180, 180]; earth viewers join ring vertices along the shorter way.
  return `${kmlDeg(wrapLonDeg(lon))},${kmlDeg(lat)}`;
}

function kmlData(fields: Record<string, Cell>): string {
  const items = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<Data name="${xmlEscape(k)}"><value>${xmlEscape(String(v))}</value></Data>`);
  return `<ExtendedData>${items.join('')}</ExtendedData>`;
}

/** KML 2.2 document: a folder per scene with the estimate, its ellipses and the truth if known. */
export function toKml(rows: readonly ResultRow[], tdoa: readonly TdoaExportRow[] = []): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2">',
    '<Document>',
    '<name>Heimdall estimates</name>',
    '<Style id="estimate"><IconStyle><color>ff0000ff</color></IconStyle></Style>',
    '<Style id="truth"><IconStyle><color>ff00ff00</color></IconStyle></Style>',
    // aabbggrr: opaque red outline, faint red fill.
    '<Style id="ellipse"><LineStyle><color>ff0000ff</color><width>2</width></LineStyle><PolyStyle><color>330000ff</color></PolyStyle></Style>',
    '<Style id="tdoa"><IconStyle><color>ff4444ef</color></IconStyle></Style>',
    '<Style id="tdoa-region"><LineStyle><color>ffffffff</color><width>2</width></LineStyle><PolyStyle><color>22ffffff</color></PolyStyle></Style>',
    '<Style id="station"><IconStyle><color>fff8bd38</color></IconStyle></Style>',
  ];
  for (const row of rows) {
    const check = truthCheck(row);
    const when = row.capturedAt !== undefined && !Number.isNaN(Date.parse(row.capturedAt));
    out.push(`<Folder><name>${xmlEscape(row.scene)}</name>`);
    out.push(
      `<Placemark><name>${xmlEscape(row.scene)}</name>` +
        (when
          ? `<TimeStamp><when>${new Date(row.capturedAt as string).toISOString()}</when></TimeStamp>`
          : '') +
        '<styleUrl>#estimate</styleUrl>' +
        kmlData({
          model: row.model,
          receivers: row.receivers.join(', '),
          capturedAt: row.capturedAt,
          lat: row.lat,
          lon: row.lon,
          locator: maidenhead(row.lat, row.lon),
          covEeM2: row.cov.ee,
          covEnM2: row.cov.en,
          covNnM2: row.cov.nn,
          errorM: check?.errorM,
        }) +
        `<Point><coordinates>${kmlCoords(row.lon, row.lat)}</coordinates></Point></Placemark>`,
    );
    for (const e of row.ellipses) {
      const ring = ellipsePolygon(row, row.cov, e.p).map(([lon, lat]) => kmlCoords(lon, lat));
      out.push(
        `<Placemark><name>${percentLabel(e.p)}% ellipse</name><styleUrl>#ellipse</styleUrl>` +
          kmlData({
            p: e.p,
            semiMajorM: e.semiMajorM,
            semiMinorM: e.semiMinorM,
            azimuthDeg: e.azimuthDeg,
          }) +
          `<Polygon><outerBoundaryIs><LinearRing><coordinates>${ring.join(' ')}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>`,
      );
    }
    if (row.truth && check) {
      out.push(
        `<Placemark><name>truth</name><styleUrl>#truth</styleUrl>${kmlData({ errorM: check.errorM })}` +
          `<Point><coordinates>${kmlCoords(row.truth.lon, row.truth.lat)}</coordinates></Point></Placemark>`,
      );
    }
    out.push('</Folder>');
  }
  for (const row of tdoa) out.push(...tdoaKml(row));
  out.push('</Document>', '</kml>');
  return out.join('\n') + '\n';
}

function kmlRing(ring: readonly Position[]): string {
  return `<LinearRing><coordinates>${ring.map(([lon, lat]) => kmlCoords(lon, lat)).join(' ')}</coordinates></LinearRing>`;
}

/** One TDoA result as a KML folder: estimate, regions, modes, hyperbola, stations, truth. */
function tdoaKml(row: TdoaExportRow): string[] {
  const { result } = row;
  const at = tdoaPoint(result);
  const when = row.capturedAt !== undefined && !Number.isNaN(Date.parse(row.capturedAt));
  const out = [`<Folder><name>${xmlEscape(`TDoA ${result.scene}`)}</name>`];
  if (at) {
    out.push(
      `<Placemark><name>${xmlEscape(`TDoA ${result.scene}`)}</name>` +
        (when
          ? `<TimeStamp><when>${new Date(row.capturedAt as string).toISOString()}</when></TimeStamp>`
          : '') +
        '<styleUrl>#tdoa</styleUrl>' +
        kmlData({
          method: 'tdoa',
          stations: result.stations
            .filter((s) => s.used)
            .map((s) => s.id)
            .join(', '),
          capturedAt: row.capturedAt,
          lat: at.lat,
          lon: at.lon,
          locator: maidenhead(at.lat, at.lon),
          place: row.place,
          errorM: row.truth ? geodesicInverse(at, row.truth).distanceM : undefined,
        }) +
        `<Point><coordinates>${kmlCoords(at.lon, at.lat)}</coordinates></Point></Placemark>`,
    );
  }
  for (const region of tdoaRegionRings(row)) {
    const polygons = region.coordinates.map(
      ([outer, ...holes]) =>
        `<Polygon><outerBoundaryIs>${kmlRing(outer)}</outerBoundaryIs>` +
        holes.map((h) => `<innerBoundaryIs>${kmlRing(h)}</innerBoundaryIs>`).join('') +
        '</Polygon>',
    );
    out.push(
      `<Placemark><name>${percentLabel(region.p)}% region</name><styleUrl>#tdoa-region</styleUrl>` +
        kmlData({ p: region.p, truthInside: tdoaTruthInside(row, region.p) ?? undefined }) +
        `<MultiGeometry>${polygons.join('')}</MultiGeometry></Placemark>`,
    );
  }
  for (const [i, m] of (result.modes ?? []).entries()) {
    out.push(
      `<Placemark><name>mode ${i + 1}</name>${kmlData({ weight: m.weight })}` +
        `<Point><coordinates>${kmlCoords(m.lon, m.lat)}</coordinates></Point></Placemark>`,
    );
  }
  if (result.hyperbola) {
    out.push(
      '<Placemark><name>hyperbola</name><LineString><coordinates>' +
        result.hyperbola.map(([lon, lat]) => kmlCoords(lon, lat)).join(' ') +
        '</coordinates></LineString></Placemark>',
    );
  }
  for (const use of result.stations) {
    const s = row.stations.find((x) => x.id === use.id);
    if (!s) continue;
    out.push(
      `<Placemark><name>${xmlEscape(s.id)}</name><styleUrl>#station</styleUrl>` +
        kmlData({ used: use.used, reason: use.reason, sampleRateHz: use.timing?.sampleRateHz }) +
        `<Point><coordinates>${kmlCoords(s.lon, s.lat)}</coordinates></Point></Placemark>`,
    );
  }
  if (row.truth) {
    out.push(
      `<Placemark><name>truth</name><styleUrl>#truth</styleUrl>` +
        `<Point><coordinates>${kmlCoords(row.truth.lon, row.truth.lat)}</coordinates></Point></Placemark>`,
    );
  }
  out.push('</Folder>');
  return out;
}
