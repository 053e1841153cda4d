/**
 * The line `heimdall tdoa` prints for a scene without --json: the position and, when the CLI
 * has towns, the nearest one; the 95 % region; and, when the geometry gives several separate
 * solutions, every one of them with its share of the posterior and its town, so an operator
 * reading the terminal sees each intersection, not only the heaviest (the JSON's `modes`).
 */
import type { LatLon } from '../core/geodesy';
import { describeNearTown, nearestTown } from '../core/places/nearestTown';
import type { Town } from '../core/places/towns';
import type { TdoaResult } from '../core/tdoa/types';

/** "50.0123, 9.0456 (12 km north-east of Seligenstadt (DE))", or the position alone without towns. */
function placed(p: LatLon, towns: readonly Town[]): string {
  const rel = nearestTown(towns, p);
  const position = `${p.lat.toFixed(4)}, ${p.lon.toFixed(4)}`;
  return rel ? `${position} (${describeNearTown(rel)})` : position;
}

export function tdoaTextLine(r: TdoaResult, towns: readonly Town[] = []): string {
  const used = r.stations
    .filter((s) => s.used)
    .map((s) => s.id)
    .join(', ');
  if (r.lat === undefined || r.lon === undefined) {
    return `${r.scene}  hyperbola only (two stations: ${used})`;
  }
  const e95 = r.ellipses.find((e) => e.p === 0.95);
  const region = e95
    ? `  95%: ${(e95.semiMajorM / 1000).toFixed(1)} x ${(e95.semiMinorM / 1000).toFixed(1)} km @ ${e95.azimuthDeg.toFixed(0)} deg`
    : '';
  const modes =
    r.modes && r.modes.length > 1
      ? `  ambiguous geometry, ${r.modes.length} modes: ${r.modes
          .map(
            (m, i) =>
              `${i + 1}) ${placed(m, towns)} ${(m.weight * 100).toFixed(0)}% of the posterior`,
          )
          .join('; ')}`
      : '';
  return `${r.scene}  ${placed({ lat: r.lat, lon: r.lon }, towns)}${region}  TDoA from ${used}${modes}`;
}
