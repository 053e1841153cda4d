/**
 * Scenes for the model-choice rule (src/core/scene/servingModel.ts), shared by the tests of the
 * three places that follow it (the command line, the worker, the live relay), so each is checked
 * against the same rule on the same stations. Positions are the shipped fixed network's
 * (training/constellation.json, as in 1.1.0's metadata.json).
 */
import { readFileSync } from 'node:fs';
import { fromLocalOffset } from '../../src/core/geodesy';
import { constellationSchema, type Constellation } from '../../src/core/modelMetadata';
import type { Scene, Station } from '../../src/core/scene/types';

export const FIXED_NETWORK: Constellation = constellationSchema.parse(
  JSON.parse(readFileSync(new URL('../../training/constellation.json', import.meta.url), 'utf8')),
);

const [aquila, milano, genova] = FIXED_NETWORK.receivers.map(({ id, lat, lon }): Station => ({
  id,
  lat,
  lon,
}));
const south = (s: Station, km: number): Station => ({ ...s, ...fromLocalOffset(s, 0, -km * 1000) });

/** Five receivers around Lyon, about 150 km across: nowhere near the fixed network. */
export const LYON: Station[] = [
  { id: 'lyon', lat: 45.76, lon: 4.84 },
  { id: 'grenoble', lat: 45.19, lon: 5.72 },
  { id: 'macon', lat: 46.31, lon: 4.83 },
  { id: 'st-etienne', lat: 45.44, lon: 4.39 },
  { id: 'bourg', lat: 46.2, lon: 5.23 },
];

export interface ServingCase {
  name: string;
  stations: Station[];
  /** What the rule picks with the fixed-network and the any-network model both offered. */
  withBoth: 'fixed' | 'any-network' | 'none';
  /** What it picks with the fixed-network model alone. */
  fixedOnly: 'fixed' | 'none';
}

export const SERVING_CASES: ServingCase[] = [
  {
    name: 'the fixed network in another order',
    stations: [genova, aquila, milano],
    withBoth: 'fixed',
    fixedOnly: 'fixed',
  },
  {
    name: 'the fixed network with genova 3 km off (within the radius)',
    stations: [aquila, milano, south(genova, 3)],
    withBoth: 'fixed',
    fixedOnly: 'fixed',
  },
  {
    name: 'the fixed ids with genova 40 km south (another station)',
    stations: [aquila, milano, south(genova, 40)],
    withBoth: 'any-network',
    fixedOnly: 'none',
  },
  {
    name: 'two of the fixed receivers',
    stations: [aquila, genova],
    withBoth: 'any-network',
    fixedOnly: 'none',
  },
  {
    name: 'five receivers around Lyon',
    stations: LYON,
    withBoth: 'any-network',
    fixedOnly: 'none',
  },
  { name: 'a lone receiver', stations: [milano], withBoth: 'none', fixedOnly: 'none' },
];

/** The case's stations as a scene of the rule (recording i is station i). */
export function caseScene(c: ServingCase): Scene<number> {
  return {
    id: c.name,
    captureTimeMs: 0,
    members: c.stations.map((station, i) => ({
      recording: i,
      station,
      source: 'operator',
      captureTimeMs: 0,
    })),
  };
}
