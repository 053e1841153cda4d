/**
 * Receivers at different sample rates in one scene (a KiwiSDR in its 20.25 kHz wide mode beside
 * 12 kHz ones, an SDR at 48 kHz): each is read at the scene's lowest rate on its own clock
 * (resampleOnClock.ts), with no delay added, and takes part.
 */
import { describe, expect, it } from 'vitest';
import { geodesicInverse } from '../../src/core/geodesy';
import { openRecordings } from '../../src/core/readers/open';
import type { IqRecording } from '../../src/core/readers/types';
import { sceneCrb } from '../../src/core/sim/tdoa/sceneCrb';
import { sceneFiles } from '../../src/core/sim/tdoa/sceneFiles';
import { parseStationList } from '../../src/core/stations';
import { locateTdoa } from '../../src/core/tdoa/locateTdoa';
import { prepareStations } from '../../src/core/tdoa/prepareStations';
import { resampleOnClock } from '../../src/core/tdoa/resampleOnClock';
import { timeOfSample, type SampleClock } from '../../src/core/tdoa/sampleClock';
import { source } from '../readers/builders';
import { mixedRatesScene } from '../support/tdoaSceneOptions';

/** Tones within +-5 kHz: x(t) = sum a e^{i (2 pi f t + phi)}. */
const TONES = [
  { a: 0.3, f: 1234.5, phi: 0.3 },
  { a: 0.2, f: -4321.25, phi: 1.1 },
  { a: 0.1, f: 4950, phi: -2 },
  { a: 0.25, f: 17.5, phi: 2.5 },
];
function signalAt(t: number): [number, number] {
  let re = 0;
  let im = 0;
  for (const { a, f, phi } of TONES) {
    re += a * Math.cos(2 * Math.PI * f * t + phi);
    im += a * Math.sin(2 * Math.PI * f * t + phi);
  }
  return [re, im];
}

/** A recording at `nominalHz` whose samples lie where `clock` says (its true times). */
function recordingOnClock(clock: SampleClock, nominalHz: number, samples: number): IqRecording {
  const iq = new Float32Array(2 * samples);
  for (let n = 0; n < samples; n++) {
    const [re, im] = signalAt(timeOfSample(clock, n));
    iq[2 * n] = re;
    iq[2 * n + 1] = im;
  }
  return {
    info: {
      name: 'wide.wav',
      format: 'kiwi-wav',
      datatype: 'ci16_le',
      sampleRateHz: nominalHz,
      totalSamples: samples,
      extra: {},
    },
    async readSamples(start, count, into) {
      const out = into ? into.subarray(0, 2 * count) : new Float32Array(2 * count);
      out.set(iq.subarray(2 * start, 2 * (start + count)));
      return out;
    },
  };
}

describe('a recording read at a lower rate on its own clock', () => {
  it('is the same signal at the new instants: no delay, no distortion in the band', async () => {
    const nominal = 20250;
    const samples = 3 * nominal;
    // 37 ppm fast, then 12 ppm slow after a second (a clock that is piecewise linear).
    const r1 = nominal * (1 + 37e-6);
    const r2 = nominal * (1 - 12e-6);
    const knee = nominal;
    const clock: SampleClock = {
      epochSec: 1_700_000_000,
      knotSample: Float64Array.of(0, knee, samples),
      knotTimeS: Float64Array.of(0.25, 0.25 + knee / r1, 0.25 + knee / r1 + (samples - knee) / r2),
      firstSample: 0,
      endSample: samples,
    };
    const out = resampleOnClock(recordingOnClock(clock, nominal, samples), clock, 12001);
    expect(out.recording.info.sampleRateHz).toBe(12001);
    expect(out.recording.info.extra.resampledFromHz).toBe(nominal);
    const total = out.recording.info.totalSamples;
    expect(total).toBe(out.clock.endSample);
    expect(total).toBeGreaterThan(2.9 * 12001);
    // Read in two calls that meet in the middle, as the block reader does.
    const half = Math.floor(total / 2);
    const a = await out.recording.readSamples(0, half);
    const b = await out.recording.readSamples(half, total - half, new Float32Array(2 * total));
    let worst = 0;
    for (let k = 0; k < total; k++) {
      const [re, im] = signalAt(timeOfSample(out.clock, k));
      const x = k < half ? a.subarray(2 * k) : b.subarray(2 * (k - half));
      worst = Math.max(worst, Math.hypot(x[0] - re, x[1] - im));
    }
    // The signal's amplitude is up to 0.85: 80 dB below it is 1e-4; float32 input adds 1e-7.
    expect(worst).toBeLessThan(2e-4);
    await expect(out.recording.readSamples(total - 1, 2)).rejects.toThrow(
      /wide\.wav: .*past the end/,
    );
  });

  it('names a sample that is not a number by its place in the recording itself', async () => {
    const nominal = 20250;
    const samples = 2 * nominal;
    const clock: SampleClock = {
      epochSec: 0,
      knotSample: Float64Array.of(0, samples),
      knotTimeS: Float64Array.of(0, samples / nominal),
      firstSample: 0,
      endSample: samples,
    };
    const recording = recordingOnClock(clock, nominal, samples);
    const read = recording.readSamples;
    recording.readSamples = async (start, count, into) => {
      const x = await read(start, count, into);
      if (start <= 30_000 && 30_000 < start + count) x[2 * (30_000 - start) + 1] = Number.NaN;
      return x;
    };
    const out = resampleOnClock(recording, clock, 12001);
    await expect(out.recording.readSamples(0, out.recording.info.totalSamples)).rejects.toThrow(
      /^wide\.wav: sample 30000 is not a finite number/,
    );
  });
});

describe('a scene of KiwiSDRs at 12001 Hz and 20250 Hz', () => {
  it('uses every station, times the wide ones on their own clocks, and places the transmitter', async () => {
    const scene = mixedRatesScene();
    const files = sceneFiles(scene);
    const stations = parseStationList(files.stationsJson.bytes as string, 'stations.json').stations;
    const { recordings } = await openRecordings(
      files.recordings.map((f) => source(f.name, f.bytes as Uint8Array)),
    );
    const wide = scene.stations.filter((s) => s.nominalRateHz === 20250).map((s) => s.station.id);
    expect(wide.length).toBeGreaterThan(0);

    const prepared = prepareStations(recordings, stations);
    expect(prepared.uses.every((u) => u.used)).toBe(true);
    for (const c of prepared.candidates) {
      expect(c.recording.info.sampleRateHz).toBe(12001);
      if (wide.includes(c.use.id))
        expect(c.use.notes?.join(' ')).toMatch(/read at 12001 Hz.*resampled from 20250 Hz/);
    }

    const result = await locateTdoa(scene.id, recordings, stations);
    expect(result.stations.filter((s) => s.used)).toHaveLength(4);
    // Every pair's lag against the true delays, within 4 of its own sigmas.
    const delay = new Map(scene.stations.map((s) => [s.station.id, s.delayS]));
    for (const p of result.pairs.filter((q) => q.used)) {
      const truthUs = (delay.get(p.b)! - delay.get(p.a)!) * 1e6;
      expect(Math.abs(p.lagUs - truthUs)).toBeLessThan(4 * p.sigmaUs);
    }
    const errorM = geodesicInverse(
      { lat: result.lat!, lon: result.lon! },
      scene.transmitter,
    ).distanceM;
    expect(errorM).toBeLessThan(4 * sceneCrb(scene).medianErrorM!);
  }, 60_000);

  it('refuses, naming it, a recording at more than 32 times the lowest rate', async () => {
    const scene = mixedRatesScene();
    const files = sceneFiles(scene);
    const stations = parseStationList(files.stationsJson.bytes as string, 'stations.json').stations;
    const { recordings } = await openRecordings(
      files.recordings.map((f) => source(f.name, f.bytes as Uint8Array)),
    );
    const [first, ...rest] = recordings;
    // A GPS-disciplined SDR at 500 kHz (SigMF: its declared rate and start time), same station.
    const huge: IqRecording = {
      ...first,
      info: {
        ...first.info,
        format: 'sigmf',
        sampleRateHz: 500_000,
        totalSamples: 12 * 500_000,
        extra: { captureDatetimes: [{ sampleStart: 0, datetime: first.info.captureTime! }] },
      },
      readSamples: () => Promise.reject(new Error('not to be read')),
    };
    const prepared = prepareStations([huge, ...rest], stations);
    const left = prepared.uses.find((u) => u.file === first.info.name)!;
    expect(left.used).toBe(false);
    expect(left.reason).toMatch(/sample rate 500000 Hz is more than 32 times .* 12001 Hz/);
    expect(prepared.candidates).toHaveLength(3);
  });
});
