/**
 * The box a map fits to: [[west, south], [east, north]] around points, the short way round in
 * longitude. Stations on both sides of the antimeridian (Fiji and Samoa, Chukotka and Alaska)
 * span a few degrees across it, not 350 degrees the other way; such a box has east above 180,
 * which maplibre and mapbox fit as it is (they draw the world's copies side by side).
 */
import { wrapLonDeg } from '../core/geodesy';
import type { Position } from '../core/geojson';

/** The smallest box holding every point; null when there are none. */
export function lonLatBounds(points: Iterable<Position>): [Position, Position] | null {
  const lons: number[] = [];
  let south = Infinity;
  let north = -Infinity;
  for (const [lon, lat] of points) {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    lons.push(wrapLonDeg(lon));
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  if (lons.length === 0) return null;
  lons.sort((a, b) => a - b);
  // The box is the circle less its widest empty stretch; the one through the antimeridian wins ties.
  let west = lons[0];
  let east = lons[lons.length - 1];
  let widest = west + 360 - east;
  for (let i = 1; i < lons.length; i++) {
    const gap = lons[i] - lons[i - 1];
    if (gap > widest) {
      widest = gap;
      west = lons[i];
      east = lons[i - 1] + 360;
    }
  }
  return [
    [west, south],
    [east, north],
  ];
}
