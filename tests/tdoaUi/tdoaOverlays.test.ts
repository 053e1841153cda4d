import { describe, expect, it } from 'vitest';
import { heatCorners, heatPixels } from '../../src/map/tdoaHeatImage';
import { buildTdoaOverlays, tdoaBounds } from '../../src/map/tdoaOverlays';
import { gaussianGrid, gaussianResult } from './gaussianResult';
import { viridis } from '../../src/ui/colormap';
import { gridBounds } from '../../src/core/tdoaRegions';

const center = { lat: 50.0152, lon: 9.0112 };
const stations = [
  { id: 'A', lat: 46.5, lon: 8.8 },
  { id: 'B', lat: 51.47, lon: 11.98 },
  { id: 'C', lat: 51.5, lon: 3.6 },
];
const towns = [
  { name: 'Seligenstadt', country: 'DE', lat: 50.0434, lon: 8.9748, population: 21000 },
  { name: 'Far', country: 'XX', lat: -30, lon: 100, population: 1e6 },
];

describe('TDoA map layers', () => {
  it('draws the estimate, the stations (excluded ones apart), the model, regions and nearby towns', () => {
    const result = gaussianResult(center, 3);
    result.stations[2] = { id: 'C', used: false, reason: 'no GPS fix' };
    const data = buildTdoaOverlays({
      result,
      stations,
      towns,
      heat: null,
      model: { lat: 49.9, lon: 9.2 },
    });
    const kinds = data.points.features.map((f) => f.properties.kind);
    expect(kinds.sort()).toEqual(
      ['estimate', 'model', 'station', 'station', 'station-excluded', 'town'].sort(),
    );
    expect(data.regions.features.map((f) => f.properties.p)).toEqual([0.95, 0.68]);
    expect(data.labels.map((l) => l.text)).toEqual(['A', 'B', 'C (excluded)', 'Seligenstadt']);
    const [[w, s], [e, n]] = tdoaBounds(data)!;
    // The stations span more than the grid here.
    expect([w, s, e, n]).toEqual([3.6, 46.5, 11.98, 51.5]);
  });

  it('draws a two-station result as its hyperbola with no point and no regions', () => {
    const result = gaussianResult(center, 3, ['A', 'B']);
    delete result.lat;
    delete result.lon;
    delete result.grid;
    result.hyperbola = [
      [9, 49],
      [9.1, 50],
      [9.3, 51],
    ];
    const data = buildTdoaOverlays({ result, stations, towns: [], heat: null });
    expect(data.hyperbola.features).toHaveLength(1);
    expect(data.regions.features).toHaveLength(0);
    expect(data.points.features.map((f) => f.properties.kind)).toEqual(['station', 'station']);
  });

  it('shows both modes of an ambiguous result', () => {
    const result = gaussianResult(center, 3);
    result.modes = [
      { lat: 50, lon: 9, weight: 0.6 },
      { lat: 48, lon: 7, weight: 0.4 },
    ];
    const data = buildTdoaOverlays({ result, stations, towns: [], heat: null });
    expect(data.points.features.filter((f) => f.properties.kind === 'mode')).toHaveLength(2);
  });

  it('paints the heat image brightest at the peak, north row first, transparent far out', () => {
    const { grid } = gaussianResult({ lat: 50.3, lon: 9 }, 3);
    const { width, height, data } = heatPixels(grid!);
    expect([width, height]).toEqual([grid!.cols, grid!.rows]);
    const alpha = (x: number, y: number) => data[(y * width + x) * 4 + 3];
    let best = { y: 0, a: -1 };
    for (let y = 0; y < height; y++) if (alpha(100, y) > best.a) best = { y, a: alpha(100, y) };
    // The peak at the grid's middle latitude sits slightly below the image's middle row in
    // Mercator (rows to the north are stretched more), and the corners are empty.
    expect(best.y).toBeGreaterThanOrEqual(100);
    expect(best.y).toBeLessThanOrEqual(102);
    expect(alpha(0, 0)).toBe(0);
  });

  it('paints each pixel from its Mercator row as the plain per-pixel formula does', () => {
    const { grid } = gaussianResult({ lat: 50.3, lon: 9 }, 3);
    const g = grid!;
    const { data } = heatPixels(g);
    // The formula written out pixel by pixel, with viridis itself instead of the lookup table.
    const y = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
    const { south, north } = gridBounds(g);
    const peak = g.prob.reduce((a, b) => Math.max(a, b), 0);
    const want = new Uint8ClampedArray(data.length);
    for (let py = 0; py < g.rows; py++) {
      const my = y(north) + ((py + 0.5) / g.rows) * (y(south) - y(north));
      const lat = (360 / Math.PI) * Math.atan(Math.exp(my)) - 90;
      const row = Math.min(g.rows - 1, Math.max(0, Math.floor((lat - south) / g.latStepDeg)));
      for (let x = 0; x < g.cols; x++) {
        const share = g.prob[row * g.cols + x] / peak;
        if (share < 0.002) continue;
        const t = Math.sqrt(share);
        want.set(
          [...viridis(Math.round(t * 255) / 255), Math.round(70 + 150 * t)],
          (py * g.cols + x) * 4,
        );
      }
    }
    expect(data.some((v) => v > 0)).toBe(true);
    expect(Buffer.from(data).equals(Buffer.from(want))).toBe(true);
  });

  it('across the antimeridian: fits the short way round and labels the towns there, not the world nor over a station', () => {
    // Fiji, Samoa, Tonga; the transmitter just west of the antimeridian's far side.
    const pacific = [
      { id: 'A', lat: -18.14, lon: 178.44 },
      { id: 'B', lat: -13.83, lon: -171.76 },
      { id: 'C', lat: -21.14, lon: -175.2 },
    ];
    const pacificTowns = [
      // At station A: its own label is there already.
      { name: 'Suva', country: 'FJ', lat: -18.14, lon: 178.44, population: 93970 },
      { name: 'Labasa', country: 'FJ', lat: -16.43, lon: 179.37, population: 27949 },
      { name: 'Neiafu', country: 'TO', lat: -18.65, lon: -173.98, population: 15000 },
      { name: 'Harare', country: 'ZW', lat: -17.83, lon: 31.05, population: 1542813 },
      { name: 'Cochabamba', country: 'BO', lat: -17.39, lon: -66.16, population: 900414 },
    ];
    const data = buildTdoaOverlays({
      result: gaussianResult({ lat: -16, lon: -179.5 }, 3),
      stations: pacific,
      towns: pacificTowns,
      heat: null,
    });
    const [[w, s], [e, n]] = tdoaBounds(data)!;
    expect(w).toBeCloseTo(178.44, 9);
    expect(e).toBeCloseTo(188.24, 9);
    expect([s, n]).toEqual([-21.14, -13.83]);
    const labelled = data.labels.filter((l) => l.kind === 'town').map((l) => l.text);
    expect(labelled.sort()).toEqual(['Labasa', 'Neiafu']);
  });

  it('puts a grid that runs past 180 degrees where the map can place its image', () => {
    // The solver's grid for Fiji, Samoa and Tonga runs on from -213 to -163 (centred on -188).
    const corners = heatCorners(gaussianGrid({ lat: -16, lon: -188 }, 300, 25));
    expect(corners.map(([lon]) => lon)).toEqual(
      [147, 197, 197, 147].map((v) => expect.closeTo(v, 9)),
    );
    expect(corners.map(([, lat]) => lat)).toEqual(
      [9, 9, -41, -41].map((v) => expect.closeTo(v, 9)),
    );
    // A grid on the world is left where it is.
    expect(heatCorners(gaussianGrid({ lat: 50, lon: 9 }, 3)).map(([lon]) => lon)).toEqual(
      [8, 10, 10, 8].map((v) => expect.closeTo(v, 9)),
    );
  });
});
