/**
 * The three real KiwiSDR recordings of DCF77 (2020-08-13) in ../shared/data/kiwi-dcf77-2020
 * (README there). Nothing in the solver is tuned to them; this test reports what they give.
 * The issue's goal is 1.5 km with the 95 % region holding DCF77, and that is the bound below.
 * Measured: 0.19 km since the direct-path fit (directPath.ts) took the echoes out of two lags
 * (1.62 km before it); 0.26 km since the receivers' frequency errors are refined from the
 * cross-spectrum's phase drift (frequencyDrift.ts; the lags moved by at most 0.5 us); 0.47 km since
 * each station's windows follow its arrival time (windowAlign.ts; the lags moved by 0.1-1.6 us,
 * against sigmas of 22-34 us); 0.34 km since the direct-path fit refines every echo together and
 * corrects each lag by its own direct lag (a small echo on JO51xl; two lags moved by 1.0 and 2.6
 * us); the region holds DCF77. Taking each block of a receiver off the others' rates onto the
 * grid's time base (blockSpectra.ts) moved the lags by up to 0.37 us (0.36 km), and is not done
 * here: the Kiwis' rates are within 5 ppm of one another, the bias it removes under a tenth of
 * the 20-30 us timing errors (tdoaDefaults.ts STRETCH_MIN_BIAS_SHARE). 0.33 km since each window
 * is centred on its exact time rather than on the whole sample nearest it (the lags moved by at
 * most 0.04 us).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { geodesicInverse } from '../../src/core/geodesy';
import { nodeFileSource } from '../../src/node/nodeFileSource';
import { openRecordings } from '../../src/core/readers/open';
import { insideRegion } from '../../src/core/tdoaRegions';
import { parseStationList } from '../../src/core/stations';
import { locateTdoa } from '../../src/core/tdoa/locateTdoa';

const DIR = join(process.cwd(), '../shared/data/kiwi-dcf77-2020');
const DCF77 = { lat: 50.0152, lon: 9.0112 };
const present = existsSync(join(DIR, 'stations.json'));
if (!present) {
  console.warn(
    `SKIPPED: the real KiwiSDR set is absent (${DIR}); the real-data TDoA test does not run`,
  );
}

describe.skipIf(!present)(
  'real KiwiSDR recordings of DCF77 (skipped when ../shared/data is absent)',
  () => {
    it('locates DCF77 within 1.5 km (measured 0.33 km), its 95 % region holding it', async () => {
      const files = readdirSync(DIR).filter((f) => f.endsWith('.wav'));
      const sources = await Promise.all(files.map((f) => nodeFileSource(join(DIR, f))));
      try {
        const { recordings, errors } = await openRecordings(sources);
        expect(errors).toEqual([]);
        const stations = parseStationList(
          readFileSync(join(DIR, 'stations.json'), 'utf8'),
          'stations.json',
        ).stations;
        const r = await locateTdoa('dcf77', recordings, stations);
        expect(r.stations.every((s) => s.used)).toBe(true);
        // The receivers' real rates are estimated from their stamps, not the header's 12001 Hz.
        for (const s of r.stations)
          expect(Math.abs(s.timing!.sampleRateHz - 12001)).toBeGreaterThan(0.01);
        const errorM = geodesicInverse({ lat: r.lat!, lon: r.lon! }, DCF77).distanceM;
        console.log(
          `DCF77: ${(errorM / 1000).toFixed(3)} km off; pairs ${r.pairs.map((p) => `${p.a}-${p.b} ${p.lagUs.toFixed(2)}+-${p.sigmaUs.toFixed(2)} us`).join(', ')}`,
        );
        expect(errorM).toBeLessThan(1500);
        expect(insideRegion(r.grid!, r.grid!.level95, DCF77)).toBe(true);
        // Closure of the one triplet is within its error.
        expect(Math.abs(r.closures![0].residualUs)).toBeLessThan(2 * r.closures![0].sigmaUs);
      } finally {
        await Promise.all(sources.map((s) => s.close()));
      }
    }, 120_000);

    it('two of them: a hyperbola, and a tilt note that says two stations cannot tell which is echoed', async () => {
      const files = readdirSync(DIR).filter((f) => /_(HB9ODP|JO51xl)_iq\.wav$/.test(f));
      expect(files).toHaveLength(2);
      const sources = await Promise.all(files.map((f) => nodeFileSource(join(DIR, f))));
      try {
        const { recordings } = await openRecordings(sources);
        const stations = parseStationList(
          readFileSync(join(DIR, 'stations.json'), 'utf8'),
          'stations.json',
        ).stations;
        const r = await locateTdoa('dcf77-two', recordings, stations);
        expect(r.hyperbola).toBeDefined();
        // Measured: both are flagged, each against the other. The note said "the spectrum is
        // tilted against the other stations'" for both, as if each had been measured against others.
        const tilt = (r.notes ?? []).filter((n) => n.includes('tilted'));
        expect(tilt).toHaveLength(1);
        expect(tilt[0]).toMatch(
          /^(HB9ODP, JO51xl|JO51xl, HB9ODP): their spectra are tilted against each other \(an echo at one of them\?\); two stations cannot tell which/,
        );
      } finally {
        await Promise.all(sources.map((s) => s.close()));
      }
    }, 60_000);
  },
);
