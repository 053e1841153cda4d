/**
 * The GeoJSON shapes this project writes (RFC 7946), defined once for the map overlays (both
 * engines), the GeoJSON export and SigMF's `core:geolocation`. Positions are [longitude,
 * latitude] in degrees, GeoJSON's order, the reverse of how the rest of the code names them.
 */
export type Position = [number, number];

export type PointGeometry = { type: 'Point'; coordinates: Position };
export type LineStringGeometry = { type: 'LineString'; coordinates: Position[] };
export type MultiLineStringGeometry = { type: 'MultiLineString'; coordinates: Position[][] };
export type PolygonGeometry = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPolygonGeometry = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type Geometry =
  | PointGeometry
  | LineStringGeometry
  | MultiLineStringGeometry
  | PolygonGeometry
  | MultiPolygonGeometry;

export type Feature<G extends Geometry = Geometry, P = Record<string, unknown>> = {
  type: 'Feature';
  /** Numeric ids let a map engine keep feature state (hover) across updates. */
  id?: number;
  geometry: G;
  properties: P;
};
export type FeatureCollection<F> = { type: 'FeatureCollection'; features: F[] };

export function pointFeature<P>(
  lon: number,
  lat: number,
  properties: P,
): Feature<PointGeometry, P> {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties };
}

export function featureCollection<F>(features: F[]): FeatureCollection<F> {
  return { type: 'FeatureCollection', features };
}

/** A place with an optional altitude, as SigMF stores positions: [lon, lat] or [lon, lat, altM]. */
export function geoJsonPoint(p: { lat: number; lon: number; altM?: number }): {
  type: 'Point';
  coordinates: [number, number] | [number, number, number];
} {
  return {
    type: 'Point',
    coordinates: p.altM === undefined ? [p.lon, p.lat] : [p.lon, p.lat, p.altM],
  };
}
