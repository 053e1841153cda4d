/**
 * Latitudes and longitudes as operators type or paste them into the station editor: decimal
 * degrees with a point or a decimal comma (`46.499351`, `46,499351`), a sign or a hemisphere
 * letter before or after (`-8.8`, `8.8 W`, `S 33.9`), degrees and minutes or degrees, minutes and
 * seconds (`46°29.961'N`, `46°29'57.66"N`, `46 29 57.66 N`, typographic primes too), and a whole
 * pair in one field, as map services copy it (`46.499351, 8.798828`,
 * `46°29'57.66"N 8°47'55.78"E`). Anything else is refused with the reason: an empty field is
 * never a coordinate of 0, and a hemisphere letter must belong to its axis.
 */
import { HeimdallError } from './errors';

export type Axis = 'lat' | 'lon';

const AXIS_NAME: Record<Axis, string> = { lat: 'latitude', lon: 'longitude' };
const LIMIT: Record<Axis, number> = { lat: 90, lon: 180 };
const HEMISPHERES: Record<Axis, string> = { lat: 'NS', lon: 'EW' };

/** What is wrong with `text` as a coordinate of `axis`, or its value in degrees. */
export type CoordinateReading = { ok: true; deg: number } | { ok: false; problem: string };

/** Typographic marks folded into the ASCII ones the grammar reads. */
function normalise(text: string): string {
  return text
    .trim()
    .replace(/[\u2032\u2019\u00b4`]/g, "'") // prime, right quote, acute accent, backtick
    .replace(/[\u2033\u201d]|''/g, '"') // double prime, right double quote, two primes
    .replace(/[\u00ba\u02da]/g, '°') // masculine ordinal and ring above, typed for the degree sign
    .replace(/\u2212/g, '-') // minus sign
    .replace(/\s+/g, ' ');
}

/** Degrees, minutes and seconds: each part a number followed by its mark or a space. */
const DMS = /^(\d+(?:\.\d*)?)\s*°?(?:\s*(\d+(?:\.\d*)?)\s*'?(?:\s*(\d+(?:\.\d*)?)\s*"?)?)?$/;

/** Reads one coordinate; never throws. */
export function readCoordinate(raw: string, axis: Axis): CoordinateReading {
  let s = normalise(raw);
  if (s === '') return { ok: false, problem: 'is empty' };
  // A number as JavaScript writes it (String(1e-7) is "1e-7"): what the editor shows of a stored one.
  if (/^[+-]?\d+(?:\.\d*)?e[+-]?\d+$/i.test(s)) {
    const value = Number(s);
    return Math.abs(value) > LIMIT[axis]
      ? { ok: false, problem: `is beyond ±${LIMIT[axis]}°` }
      : { ok: true, deg: value + 0 };
  }
  // A hemisphere letter before or after the number.
  let hemisphere: string | undefined;
  const lead = /^([NSEW])\s*(?=[\d+-])/i.exec(s);
  const trail = /(?<=[\d°'"\s.])\s*([NSEW])$/i.exec(s);
  if (lead && trail) return { ok: false, problem: 'has a hemisphere letter at both ends' };
  if (lead || trail) {
    const m = (lead ?? trail)!;
    hemisphere = m[1].toUpperCase();
    s = (lead ? s.slice(m[0].length) : s.slice(0, m.index)).trim();
    if (!HEMISPHERES[axis].includes(hemisphere)) {
      const other = axis === 'lat' ? 'longitude' : 'latitude';
      return { ok: false, problem: `has ${hemisphere}, a ${other}'s hemisphere` };
    }
  }
  let sign = 1;
  if (/^[+-]/.test(s)) {
    if (hemisphere) return { ok: false, problem: 'has both a sign and a hemisphere letter' };
    if (s[0] === '-') sign = -1;
    s = s.slice(1).trim();
  }
  // A decimal comma, where no point is used: 46,5 or 46°29,961'.
  if (s.includes(',')) {
    if (s.includes('.') || (s.match(/,/g) ?? []).length > 1) {
      return { ok: false, problem: 'is not a coordinate (more than one number?)' };
    }
    s = s.replace(',', '.');
  }
  const m = DMS.exec(s);
  if (!m) return { ok: false, problem: 'is not a coordinate' };
  const [d, min, sec] = [m[1], m[2], m[3]];
  const deg = Number(d);
  const minutes = min === undefined ? 0 : Number(min);
  const seconds = sec === undefined ? 0 : Number(sec);
  if (min !== undefined && !Number.isInteger(deg)) {
    return { ok: false, problem: 'has a fraction of a degree and minutes' };
  }
  if (sec !== undefined && !Number.isInteger(minutes)) {
    return { ok: false, problem: 'has a fraction of a minute and seconds' };
  }
  if (minutes >= 60 || seconds >= 60) {
    return { ok: false, problem: 'has minutes or seconds of 60 or more' };
  }
  let value = deg + minutes / 60 + seconds / 3600;
  if (hemisphere === 'S' || hemisphere === 'W') value = -value;
  value *= sign;
  if (Math.abs(value) > LIMIT[axis]) {
    return { ok: false, problem: `is beyond ±${LIMIT[axis]}°` };
  }
  // -0 reads as 0.
  return { ok: true, deg: value + 0 };
}

/**
 * A latitude and longitude in one string (`46.499351, 8.798828`, `46.499351 8.798828`,
 * `46°29'57.66"N 8°47'55.78"E`, or longitude first when both carry their hemisphere letters), or
 * undefined where it is not clearly one such pair: `46,5` is a latitude with a decimal comma and
 * `46 29` degrees and minutes, not two coordinates.
 */
export function readCoordinatePair(raw: string): { lat: number; lon: number } | undefined {
  const s = normalise(raw);
  const splits: [string, string][] = [];
  /** A half that shows it is a whole coordinate: a fraction, a mark or a hemisphere letter. */
  const whole = (x: string) => /[.°'"]|\d,\d|^\s*[NSEW]|[NSEW]\s*$/i.test(x);
  const semicolon = s.split(';');
  if (semicolon.length === 2) splits.push([semicolon[0], semicolon[1]]);
  const commas = /^([^,]*),(\s?)([^,]*)$/.exec(s);
  if (commas && (commas[2] !== '' || (whole(commas[1]) && whole(commas[3])))) {
    splits.push([commas[1], commas[3]]);
  }
  // After a hemisphere letter: 46°29'57.66"N 8°47'55.78"E.
  const hemi = /^(.*?[\d°'".]\s*[NSEW])\s*(.+)$/i.exec(s);
  if (hemi) splits.push([hemi[1], hemi[2]]);
  const words = s.split(' ');
  if (words.length === 2 && words.every(whole)) splits.push([words[0], words[1]]);
  for (const [a, b] of splits) {
    const lat = readCoordinate(a, 'lat');
    const lon = readCoordinate(b, 'lon');
    if (lat.ok && lon.ok) return { lat: lat.deg, lon: lon.deg };
    const lonFirst = readCoordinate(a, 'lon');
    const latSecond = readCoordinate(b, 'lat');
    if (/[EW]\s*$|^\s*[EW]/i.test(a) && lonFirst.ok && latSecond.ok) {
      return { lat: latSecond.deg, lon: lonFirst.deg };
    }
  }
  return undefined;
}

/**
 * A station's position from the editor's two fields: each read by readCoordinate, or (the
 * longitude field empty) a whole pair pasted into the latitude field. A ConfigError names the
 * station, the field, what was typed and what is wrong with it.
 */
export function parseStationPosition(
  id: string,
  latText: string,
  lonText: string,
): { lat: number; lon: number } {
  if (lonText.trim() === '') {
    const pair = readCoordinatePair(latText);
    if (pair) return pair;
  }
  const read = (text: string, axis: Axis): number => {
    const r = readCoordinate(text, axis);
    if (r.ok) return r.deg;
    const typed = text.trim() === '' ? '' : ` "${text.trim()}"`;
    throw new HeimdallError(
      'ConfigError',
      `station ${id}: the ${AXIS_NAME[axis]}${typed} ${r.problem} (decimal degrees such as ` +
        `${axis === 'lat' ? '46.4994 or 46°29\'57.7"N' : '8.7988 or 8°47\'55.8"E'})`,
    );
  };
  return { lat: read(latText, 'lat'), lon: read(lonText, 'lon') };
}
