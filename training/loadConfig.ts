import { readFileSync } from 'node:fs';
import {
  constellationSchema,
  preprocessingSchema,
  type Constellation,
  type Preprocessing,
} from '../src/core/modelMetadata';

const here = (name: string) => new URL(name, import.meta.url);

/** The constellation and feature definition the shipped models are trained for. */
export function trainingConfig(): { constellation: Constellation; preprocessing: Preprocessing } {
  return {
    constellation: constellationSchema.parse(
      JSON.parse(readFileSync(here('constellation.json'), 'utf8')),
    ),
    preprocessing: preprocessingSchema.parse(
      JSON.parse(readFileSync(here('preprocessing.json'), 'utf8')),
    ),
  };
}
