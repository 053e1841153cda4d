/** How numbers read on screen: units always shown, precision matched to what the figure means. */

/** 5 decimals of a degree is about 1 m: finer than any estimate, coarse enough to read. */
export function formatDeg(value: number, pos: string, neg: string, digits = 5): string {
  return `${Math.abs(value).toFixed(digits)}° ${value >= 0 ? pos : neg}`;
}

export const formatLat = (lat: number): string => formatDeg(lat, 'N', 'S');
export const formatLon = (lon: number): string => formatDeg(lon, 'E', 'W');

/** Metres below 10 km, kilometres above, with three significant figures. */
export function formatDistanceM(m: number): string {
  if (!Number.isFinite(m)) return '–';
  if (Math.abs(m) < 1000) return `${Math.round(m)} m`;
  const km = m / 1000;
  return `${km < 10 ? km.toFixed(2) : km < 100 ? km.toFixed(1) : Math.round(km)} km`;
}

const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;

/** "123° SE": the number for work, the compass point for a glance. */
export function formatBearingDeg(deg: number): string {
  // Round before wrapping, so 359.6 reads 000, not 360.
  const d = ((Math.round(deg) % 360) + 360) % 360;
  return `${String(d).padStart(3, '0')}° ${COMPASS[Math.round(d / 45) % 8]}`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(0)} KiB`;
  return `${n} B`;
}

/** "2026-01-01 12:00:10 UTC": recordings are timed in UTC; local time would mislead. */
export function formatUtc(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatPercent(fraction: number | null | undefined, digits = 0): string {
  return fraction === null || fraction === undefined || !Number.isFinite(fraction)
    ? '–'
    : `${(fraction * 100).toFixed(digits)} %`;
}

export function formatDb(db: number): string {
  return Number.isFinite(db) ? `${db.toFixed(1)} dBFS` : '–';
}

/**
 * A receiver's name in a column two or three characters wide: its first two letters
 * ("Aquila di Giaveno": "Aq"), or its initial and number when it ends in one ("Receiver 12":
 * "R12"), so numbered stations stay apart.
 */
export function shortName(name: string): string {
  const number = /(\d+)$/.exec(name.trim());
  return number ? `${name.trim()[0]}${number[1]}` : name.slice(0, 2);
}
