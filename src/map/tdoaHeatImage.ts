/**
 * The TDoA posterior as an image for the map (issue 12). The grid is regular in latitude, the map
 * in Web Mercator; an image source is stretched linearly between its corners in Mercator, so each
 * image row is resampled from the grid row at its Mercator latitude (over a few degrees a plain
 * stretch would shift the heat by up to a cell or two against the contours).
 */
import type { TdoaGrid } from '../core/tdoa/types';
import { gridBounds } from '../core/tdoaRegions';
import { viridisLut } from '../ui/colormap';
import type { HeatImage } from './tdoaOverlays';

const mercatorY = (latDeg: number) => Math.log(Math.tan(Math.PI / 4 + (latDeg * Math.PI) / 360));
const latFromMercatorY = (y: number) => (360 / Math.PI) * Math.atan(Math.exp(y)) - 90;

/** Cells under this share of the peak are left transparent: the basemap stays readable. */
const MIN_SHARE_OF_PEAK = 0.002;

/** RGBA pixels, north row first, one column per grid column. Pure (tested without a DOM). */
export function heatPixels(grid: TdoaGrid): {
  width: number;
  height: number;
  data: Uint8ClampedArray;
} {
  const { south, north } = gridBounds(grid);
  const width = grid.cols;
  const height = grid.rows;
  const prob = grid.prob;
  let peak = 0;
  // An index loop, not for-of: this runs once per result on the page, where an iterator that is
  // never optimised allocates per cell (issue 12, item 10: drop to heat map).
  for (let i = 0; i < prob.length; i++) if (prob[i] > peak) peak = prob[i];
  const data = new Uint8ClampedArray(width * height * 4);
  if (!(peak > 0)) return { width, height, data };
  const yTop = mercatorY(north);
  const yBottom = mercatorY(south);
  const lut = viridisLut();
  for (let py = 0; py < height; py++) {
    const lat = latFromMercatorY(yTop + ((py + 0.5) / height) * (yBottom - yTop));
    const row = Math.min(grid.rows - 1, Math.max(0, Math.floor((lat - south) / grid.latStepDeg)));
    paintRow(prob, row * grid.cols, width, peak, lut, data, py * width * 4);
  }
  return { width, height, data };
}

/**
 * One image row from one grid row: a function called per row, which the engine optimises once,
 * where the loop nested in the row loop was compiled on the stack in every drawing.
 */
function paintRow(
  prob: Float32Array,
  from: number,
  width: number,
  peak: number,
  lut: Uint8ClampedArray,
  data: Uint8ClampedArray,
  out: number,
): void {
  for (let x = 0; x < width; x++) {
    const share = prob[from + x] / peak;
    if (share < MIN_SHARE_OF_PEAK) continue;
    // Square root: the tails of a sharp peak stay visible next to it.
    const t = Math.sqrt(share);
    const c = 4 * Math.round(t * 255);
    const o = out + 4 * x;
    data[o] = lut[c];
    data[o + 1] = lut[c + 1];
    data[o + 2] = lut[c + 2];
    data[o + 3] = Math.round(70 + 150 * t);
  }
}

/**
 * The heat map as a canvas with its corners (browser only). A canvas source, not an image URL:
 * the app's Content-Security-Policy lets the map fetch only from 'self', and an image source
 * fetches even data: URLs.
 */
export function heatImage(grid: TdoaGrid): HeatImage {
  const { width, height, data } = heatPixels(grid);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas for the TDoA heat map');
  ctx.putImageData(new ImageData(data as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  return { canvas, coordinates: heatCorners(grid) };
}

/**
 * The image's corners (north-west first, clockwise). A grid across the antimeridian runs on past
 * 180 degrees (its west edge at -213 for a grid centred on -188); the map places an image by the
 * tile that holds its centre and refuses one whose centre is off the world ("x=-1 ... outside of
 * bounds", and no heat map), so the corners are moved by whole turns until the centre is on it.
 */
export function heatCorners(grid: TdoaGrid): HeatImage['coordinates'] {
  const { south, west, north, east } = gridBounds(grid);
  const centre = (west + east) / 2;
  const shift = 360 * Math.round(-centre / 360);
  return [
    [west + shift, north],
    [east + shift, north],
    [east + shift, south],
    [west + shift, south],
  ];
}
