/**
 * Maidenhead grid locators (the radio amateurs' way of naming a place): pairs of characters
 * alternately splitting longitude and latitude. Pair 1 is a field A-R (20 x 10 degrees), pair 2 a
 * square 0-9 (2 x 1 degrees), pair 3 a subsquare a-x (5 x 2.5 minutes), pair 4 an extended square
 * 0-9, pair 5 an extended subsquare a-x.
 */
import { HeimdallError } from './errors';
import { wrapLonDeg, type LatLon } from './geodesy';

/** Number of divisions made by each pair, per axis. */
const DIVISIONS = [18, 10, 24, 10, 24] as const;
const MAX_PAIRS = DIVISIONS.length;

function cellsPerAxis(pairs: number): number {
  let n = 1;
  for (let i = 0; i < pairs; i++) n *= DIVISIONS[i];
  return n;
}

/**
 * Index of the finest cell along one axis. Scaling by an integer factor (or dividing by an
 * integer cell size) rounds once, so points exactly on a cell edge land in the cell they start.
 */
function cellIndex(offsetDeg: number, rangeDeg: number, cells: number): number {
  const i =
    cells >= rangeDeg
      ? Math.floor(offsetDeg * (cells / rangeDeg))
      : Math.floor(offsetDeg / (rangeDeg / cells));
  return Math.min(Math.max(i, 0), cells - 1);
}

function pairChar(pair: number, digit: number): string {
  if (DIVISIONS[pair] === 10) return String(digit);
  const letter = String.fromCharCode(65 + digit);
  return pair === 0 ? letter : letter.toLowerCase();
}

/** The locator of (lat, lon) with 1 to 5 pairs, e.g. maidenhead(48.1467, 11.6083) === 'JN58td'. */
export function maidenhead(lat: number, lon: number, pairs = 3): string {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90) {
    throw new HeimdallError('ConfigError', `no Maidenhead locator for lat ${lat}, lon ${lon}`);
  }
  if (!Number.isInteger(pairs) || pairs < 1 || pairs > MAX_PAIRS) {
    throw new HeimdallError(
      'ConfigError',
      `a Maidenhead locator has 1 to ${MAX_PAIRS} pairs, not ${pairs}`,
    );
  }
  const cells = cellsPerAxis(pairs);
  let x = cellIndex(wrapLonDeg(lon) + 180, 360, cells);
  // The north pole belongs to the northernmost row (clamped in cellIndex).
  let y = cellIndex(lat + 90, 180, cells);
  const digits: [number, number][] = [];
  for (let p = pairs - 1; p >= 0; p--) {
    digits.unshift([x % DIVISIONS[p], y % DIVISIONS[p]]);
    x = Math.floor(x / DIVISIONS[p]);
    y = Math.floor(y / DIVISIONS[p]);
  }
  return digits.map(([dx, dy], p) => pairChar(p, dx) + pairChar(p, dy)).join('');
}

function parseChar(loc: string, pos: number): number {
  const pair = Math.floor(pos / 2);
  const code = loc.charCodeAt(pos);
  // ASCII only: toUpperCase would turn some non-ASCII letters into valid ones ('ß' -> 'SS').
  const upper = code >= 97 && code <= 122 ? code - 32 : code;
  const digit = DIVISIONS[pair] === 10 ? code - 48 : upper - 65;
  if (!(digit >= 0 && digit < DIVISIONS[pair])) {
    const allowed = DIVISIONS[pair] === 10 ? '0-9' : pair === 0 ? 'A-R' : 'A-X';
    throw new HeimdallError(
      'ConfigError',
      `Maidenhead locator '${loc}': character ${pos + 1} must be ${allowed}`,
    );
  }
  return digit;
}

/** Centre of the square a locator names (2 to 10 characters, case-insensitive). */
export function maidenheadToLatLon(loc: string): LatLon {
  if (loc.length < 2 || loc.length > 2 * MAX_PAIRS || loc.length % 2 !== 0) {
    throw new HeimdallError(
      'ConfigError',
      `Maidenhead locator '${loc}' must have 2, 4, 6, 8 or 10 characters`,
    );
  }
  const pairs = loc.length / 2;
  let x = 0;
  let y = 0;
  for (let p = 0; p < pairs; p++) {
    x = x * DIVISIONS[p] + parseChar(loc, 2 * p);
    y = y * DIVISIONS[p] + parseChar(loc, 2 * p + 1);
  }
  const cells = cellsPerAxis(pairs);
  return { lat: ((y + 0.5) * 180) / cells - 90, lon: ((x + 0.5) * 360) / cells - 180 };
}
