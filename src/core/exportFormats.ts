/**
 * Result export: GeoJSON (RFC 7946), CSV (RFC 4180) and KML 2.2. All three carry the same
 * numbers; the ellipse rings come from ellipsePolygon so every format draws the same shape.
 */
import { ellipsePolygon, insideEllipse, type Cov2, type EllipseSummary } from './ellipse';
import { geodesicInverse, localOffset, wrapLonDeg, type LatLon } from './geodesy';
import { maidenhead } from './maidenhead';

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

type Position = [number, number];
type Properties = Record<string, string | number | boolean | string[] | null>;
export type GeoJsonFeature = {
  type: 'Feature';
  geometry:
    { type: 'Point'; coordinates: Position } | { type: 'Polygon'; coordinates: Position[][] };
  properties: Properties;
};
export type GeoJsonFeatureCollection = { type: 'FeatureCollection'; features: GeoJsonFeature[] };

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

export function toFeatureCollection(rows: readonly ResultRow[]): GeoJsonFeatureCollection {
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
  return { type: 'FeatureCollection', features };
}

/** GeoJSON text. Ring longitudes stay continuous across the antimeridian (see ellipsePolygon). */
export function toGeoJSON(rows: readonly ResultRow[]): string {
  return JSON.stringify(toFeatureCollection(rows), null, 1) + '\n';
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
export function toCsv(rows: readonly ResultRow[]): string {
  const probabilities = [...new Set(rows.flatMap((r) => r.ellipses.map((e) => e.p)))].sort(
    (a, b) => a - b,
  );
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
export function toKml(rows: readonly ResultRow[]): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2">',
    '<Document>',
    '<name>Heimdall estimates</name>',
    '<Style id="estimate"><IconStyle><color>ff0000ff</color></IconStyle></Style>',
    '<Style id="truth"><IconStyle><color>ff00ff00</color></IconStyle></Style>',
    // aabbggrr: opaque red outline, faint red fill.
    '<Style id="ellipse"><LineStyle><color>ff0000ff</color><width>2</width></LineStyle><PolyStyle><color>330000ff</color></PolyStyle></Style>',
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
  out.push('</Document>', '</kml>');
  return out.join('\n') + '\n';
}
