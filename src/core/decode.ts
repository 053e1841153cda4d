/**
 * Decoding of the model's (batch, n) output into position estimates, following the columns
 * named in the model's metadata (outputLayouts in modelMetadata.ts): columns are found by name,
 * so a layout may list them in any order.
 */
import {
  ELLIPSE_PROBABILITIES,
  ellipseFromCovariance,
  type Cov2,
  type EllipseSummary,
} from './ellipse';
import { HeimdallError } from './errors';
import { wrapLonDeg } from './geodesy';
import type { ModelOutput } from './modelMetadata';

export interface Estimate {
  lat: number;
  lon: number;
  /** m^2, east/north at the estimate. */
  cov: Cov2;
  /** One per ELLIPSE_PROBABILITIES entry (68 % and 95 %), in that order. */
  ellipses: EllipseSummary[];
}

interface ColumnIndex {
  lat: number;
  lon: number;
  sigmaEastM: number;
  sigmaNorthM: number;
  /** Absent for the diagonal layout. */
  rhoEastNorth?: number;
}

/** Index of each needed column in the output row, found by name so the layout's order is honoured. */
function columnIndices(output: ModelOutput): ColumnIndex {
  const find = (name: string): number => {
    const i = output.layout.indexOf(name);
    if (i < 0) {
      throw new HeimdallError(
        'ManifestError',
        `output '${output.name}' with ${output.covariance} covariance lacks column '${name}' (layout: ${output.layout.join(', ')})`,
      );
    }
    return i;
  };
  const index: ColumnIndex = {
    lat: find('lat'),
    lon: find('lon'),
    sigmaEastM: find('sigmaEastM'),
    sigmaNorthM: find('sigmaNorthM'),
  };
  if (output.covariance === 'full') index.rhoEastNorth = find('rhoEastNorth');
  return index;
}

function fromColumns(get: (i: number) => number, index: ColumnIndex, where: string): Estimate {
  return toEstimate(
    {
      lat: get(index.lat),
      lon: get(index.lon),
      sigmaEastM: get(index.sigmaEastM),
      sigmaNorthM: get(index.sigmaNorthM),
      rho: index.rhoEastNorth === undefined ? 0 : get(index.rhoEastNorth),
    },
    where,
  );
}

/** A Gaussian position (mean lat/lon, sigmas and correlation east/north) as an Estimate; throws InferenceError on an impossible value. */
export function toEstimate(
  g: { lat: number; lon: number; sigmaEastM: number; sigmaNorthM: number; rho: number },
  where: string,
): Estimate {
  const { lat, lon, sigmaEastM, sigmaNorthM, rho } = g;
  const bad = (what: string) =>
    new HeimdallError('InferenceError', `model output ${where}: ${what}`);
  if (![lat, lon, sigmaEastM, sigmaNorthM, rho].every(Number.isFinite)) {
    throw bad(
      `non-finite value (lat ${lat}, lon ${lon}, sigmas ${sigmaEastM}/${sigmaNorthM} m, rho ${rho})`,
    );
  }
  if (Math.abs(lat) > 90) throw bad(`latitude ${lat} outside [-90, 90]`);
  if (!(sigmaEastM > 0) || !(sigmaNorthM > 0))
    throw bad(`sigmas must be > 0 (${sigmaEastM}, ${sigmaNorthM} m)`);
  if (!(Math.abs(rho) < 1)) throw bad(`correlation ${rho} outside (-1, 1)`);
  const cov: Cov2 = {
    ee: sigmaEastM * sigmaEastM,
    en: rho * sigmaEastM * sigmaNorthM,
    nn: sigmaNorthM * sigmaNorthM,
  };
  let ellipses: EllipseSummary[];
  try {
    ellipses = ELLIPSE_PROBABILITIES.map((p) => ellipseFromCovariance(cov, p));
  } catch {
    // |rho| < 1 and positive sigmas make it positive definite mathematically; rounding can still break it.
    throw bad(
      `covariance is numerically singular (sigmas ${sigmaEastM}/${sigmaNorthM} m, rho ${rho})`,
    );
  }
  return { lat, lon: wrapLonDeg(lon), cov, ellipses };
}

/** Decodes one output row; throws InferenceError on an impossible value. */
export function decodeRow(row: ArrayLike<number>, output: ModelOutput): Estimate {
  if (row.length !== output.layout.length) {
    throw new HeimdallError(
      'InferenceError',
      `model output row has ${row.length} values, the layout of '${output.name}' has ${output.layout.length}`,
    );
  }
  return fromColumns((i) => row[i], columnIndices(output), 'row');
}

/** Decodes a (batch, n) output tensor, row-major as ONNX Runtime returns it. */
export function decodeBatch(
  data: Float32Array,
  dims: readonly number[],
  output: ModelOutput,
): Estimate[] {
  const n = output.layout.length;
  if (dims.length !== 2 || dims[1] !== n || !Number.isInteger(dims[0]) || dims[0] < 0) {
    throw new HeimdallError(
      'InferenceError',
      `model output '${output.name}' has dims [${dims.join(', ')}], expected [batch, ${n}]`,
    );
  }
  if (data.length !== dims[0] * n) {
    throw new HeimdallError(
      'InferenceError',
      `model output '${output.name}' holds ${data.length} values, dims say ${dims[0] * n}`,
    );
  }
  const index = columnIndices(output);
  const out: Estimate[] = [];
  for (let b = 0; b < dims[0]; b++) {
    out.push(fromColumns((i) => data[b * n + i], index, `row ${b}`));
  }
  return out;
}
