/**
 * Decoding of an any-network model's (batch, 5) output: the mean is an offset east/north of each
 * scene's receiver centroid, turned into latitude/longitude with the exact inverse of the frame
 * the receiver positions were given in (azimuthal equidistant about the centroid). The sigmas
 * keep that frame's axes; at the estimate the local east differs from them by the meridian
 * convergence along the way (under 3 degrees for a 300 km offset at 45 degrees latitude).
 */
import { toEstimate, type Estimate } from './decode';
import { HeimdallError } from './errors';
import { fromLocalOffset, type LatLon } from './geodesy';
import { networkOutputLayout } from './networkModelMetadata';

export function decodeNetworkBatch(
  data: Float32Array,
  dims: readonly number[],
  layout: readonly string[],
  centroids: readonly LatLon[],
): Estimate[] {
  const n = layout.length;
  if (dims.length !== 2 || dims[1] !== n || dims[0] !== centroids.length) {
    throw new HeimdallError(
      'InferenceError',
      `model output has dims [${dims.join(', ')}], expected [${centroids.length}, ${n}]`,
    );
  }
  const [e, nn, se, sn, rho] = networkOutputLayout.map((c) => layout.indexOf(c));
  if ([e, nn, se, sn, rho].some((i) => i < 0)) {
    throw new HeimdallError(
      'ManifestError',
      `output layout ${layout.join(', ')} lacks one of ${networkOutputLayout.join(', ')}`,
    );
  }
  return centroids.map((centroid, b) => {
    const row = (i: number) => data[b * n + i];
    const where = `row ${b}`;
    if (!Number.isFinite(row(e)) || !Number.isFinite(row(nn))) {
      throw new HeimdallError('InferenceError', `model output ${where}: non-finite offset`);
    }
    const p = fromLocalOffset(centroid, row(e), row(nn));
    return toEstimate(
      { lat: p.lat, lon: p.lon, sigmaEastM: row(se), sigmaNorthM: row(sn), rho: row(rho) },
      where,
    );
  });
}
