import { describe, expect, it } from 'vitest';
import { geodesicInverse } from '../../src/core/geodesy';
import { gpsTimeOfWeekToUtcMs } from '../../src/core/kiwi/gpsTime';
import { openRecordings } from '../../src/core/readers/open';
import { parseSigmfMeta } from '../../src/core/readers/sigmfMeta';
import { matchStation, parseStationList } from '../../src/core/stations';
import { KIWI_BLOCK_PAIRS } from '../../src/core/sim/kiwiWavWriter';
import { DEFAULT_IMPAIRMENTS, NO_IMPAIRMENTS } from '../../src/core/sim/tdoa/impairments';
import { NO_FIX } from '../../src/core/sim/tdoa/kiwiClock';
import { SPEED_OF_LIGHT_M_PER_S } from '../../src/core/sim/tdoa/propagation';
import { simulateTdoaScene, type TdoaSceneOptions } from '../../src/core/sim/tdoa/scene';
import { sceneCrb } from '../../src/core/sim/tdoa/sceneCrb';
import { isoUtcNanoseconds, sceneFiles } from '../../src/core/sim/tdoa/sceneFiles';
import { welchPsd } from '../../src/core/sim/tdoa/spectrum';
import { source } from '../readers/builders';

const short: Partial<TdoaSceneOptions> = { durationS: 6 };

/**
 * The DFT of interleaved IQ samples [start, start + n) at `cycles` per sample, unwindowed or
 * Hann-windowed.
 */
function dftAt(
  iq: Float32Array,
  start: number,
  n: number,
  cycles: number,
  hann: boolean,
): [number, number] {
  let re = 0;
  let im = 0;
  for (let k = 0; k < n; k++) {
    const ph = -2 * Math.PI * cycles * (start + k);
    const w = hann ? Math.sin((Math.PI * (k + 0.5)) / n) ** 2 : 1;
    const c = w * Math.cos(ph);
    const s = w * Math.sin(ph);
    const o = 2 * (start + k);
    re += iq[o] * c - iq[o + 1] * s;
    im += iq[o] * s + iq[o + 1] * c;
  }
  return [re, im];
}

describe('the TDoA scene simulator', () => {
  it('is deterministic in (seed, index) and differs between indices', () => {
    const a = simulateTdoaScene(5, 2, short);
    const b = simulateTdoaScene(5, 2, short);
    const c = simulateTdoaScene(5, 3, short);
    expect(b.transmitter).toEqual(a.transmitter);
    expect(b.stations.map((s) => s.station)).toEqual(a.stations.map((s) => s.station));
    expect(Array.from(b.stations[1].iq.subarray(0, 64))).toEqual(
      Array.from(a.stations[1].iq.subarray(0, 64)),
    );
    expect(c.transmitter).not.toEqual(a.transmitter);
  });

  it('delays each station by its geodesic distance at the speed of light', () => {
    const s = simulateTdoaScene(5, 4, short);
    for (const st of s.stations) {
      const d = geodesicInverse(s.transmitter, st.station).distanceM;
      expect(st.delayS).toBeCloseTo(d / SPEED_OF_LIGHT_M_PER_S, 15);
    }
  });

  it('puts 3-8 stations within a few hundred km and the SNR it states in the signal band', () => {
    let measured = 0;
    for (let i = 0; i < 6; i++) {
      const s = simulateTdoaScene(11, i, {
        ...short,
        kinds: ['noise'],
        snrDb: { lo: 10, hi: 10 },
        stationSnrSpreadDb: 0,
        impairments: NO_IMPAIRMENTS,
      });
      expect(s.stations.length).toBeGreaterThanOrEqual(3);
      expect(s.stations.length).toBeLessThanOrEqual(8);
      for (const st of s.stations) {
        expect(geodesicInverse(s.transmitter, st.station).distanceM).toBeLessThan(1000e3);
      }
      // Measured SNR: in-band power above the out-of-band noise floor, over the floor times band.
      const st = s.stations[0];
      const psd = welchPsd(st.iq, st.trueRateHz, 256);
      const half = s.signal.occupiedBandwidthHz / 2;
      const inBand = (f: number) => Math.abs(f - s.signal.offsetHz) <= half;
      const floor: number[] = [];
      let total = 0;
      psd.freqHz.forEach((f, k) => {
        if (Math.abs(f - s.signal.offsetHz) > half + 400) floor.push(psd.densityPerHz[k]);
        if (inBand(f)) total += psd.densityPerHz[k] * psd.binHz;
      });
      if (floor.length < 20) continue; // a signal that fills the band leaves no floor to measure
      floor.sort((a, b) => a - b);
      const n0 = floor[floor.length >> 1];
      const measuredDb = 10 * Math.log10((total - n0 * 2 * half) / (n0 * 2 * half));
      expect(Math.abs(measuredDb - 10)).toBeLessThan(0.6);
      measured++;
    }
    expect(measured).toBeGreaterThanOrEqual(3);
  });

  it("passes each receiver's signal through its drawn passband: a real gain, no phase, no delay", () => {
    // The same scene twice, the passbands on and off (their draws have a stream of their own, so
    // everything else, noise included, is the same): at 60 dB the ratio of the cross-spectrum to
    // the flat station's power, per frequency, is H(f) = 1 + 2 Re(c e^{-i 2 pi f span}).
    const options: Partial<TdoaSceneOptions> = {
      ...short,
      kinds: ['noise'],
      snrDb: { lo: 60, hi: 60 },
      impairments: NO_IMPAIRMENTS,
    };
    const flat = simulateTdoaScene(8, 1, options);
    const rippled = simulateTdoaScene(8, 1, {
      ...options,
      impairments: { ...NO_IMPAIRMENTS, passbandRippleDb: 1 },
    });
    expect(flat.stations.every((st) => st.passband === undefined)).toBe(true);
    const n = 256;
    let checked = 0;
    rippled.stations.forEach((st, i) => {
      const pb = st.passband!;
      const peakDb = 20 * Math.log10(1 + 2 * Math.hypot(pb.re, pb.im));
      expect(peakDb).toBeLessThanOrEqual(1);
      const x = flat.stations[i].iq;
      const y = st.iq;
      const half = flat.signal.occupiedBandwidthHz / 2;
      for (const u of [-0.8, -0.4, 0, 0.4, 0.8]) {
        const fHz = flat.signal.offsetHz + u * half;
        // Direct DFT at fHz over blocks of n samples.
        let cr = 0;
        let ci = 0;
        let p = 0;
        for (let start = n; start + n < st.samples; start += n) {
          const [xr, xi] = dftAt(x, start, n, fHz / st.trueRateHz, false);
          const [yr, yi] = dftAt(y, start, n, fHz / st.trueRateHz, false);
          cr += yr * xr + yi * xi;
          ci += yi * xr - yr * xi;
          p += xr * xr + xi * xi;
        }
        const w = 2 * Math.PI * fHz * pb.spanS;
        const h = 1 + 2 * (pb.re * Math.cos(w) + pb.im * Math.sin(w));
        // Unwindowed blocks leak neighbouring frequencies in; H is smooth, so that moves the ratio
        // by well under a percent.
        expect(Math.abs(cr / p - h)).toBeLessThan(0.01);
        expect(Math.abs(ci / p)).toBeLessThan(0.01);
        checked++;
      }
    });
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it("turns each echo's phase at its drawn fading rate, and leaves the scene as it was without it", () => {
    // The same scene with the echoes standing and fading (the rates have a stream of their own).
    // At 60 dB, per block, the ratio of the faded station's spectrum to the standing one's at a
    // frequency f is H(f, t) / H(f, 0) with H = 1 + a e^{i (phi + 2 pi fade t - 2 pi f delay)}.
    const impairments = {
      ...NO_IMPAIRMENTS,
      multipathSceneFraction: 1,
      echoStationFraction: 1,
      echoRelativeAmplitude: { lo: 0.5, hi: 0.5 },
      echoDelayUs: { lo: 100, hi: 100 },
    };
    const options: Partial<TdoaSceneOptions> = {
      ...short,
      kinds: ['noise'],
      snrDb: { lo: 60, hi: 60 },
      impairments,
    };
    const standing = simulateTdoaScene(8, 2, options);
    const again = simulateTdoaScene(8, 2, {
      ...options,
      impairments: { ...impairments, echoFadeHz: 0 },
    });
    expect(again.stations.map((st) => st.iq)).toEqual(standing.stations.map((st) => st.iq));
    const fading = simulateTdoaScene(8, 2, {
      ...options,
      impairments: { ...impairments, echoFadeHz: 0.5 },
    });
    const n = 256;
    let checked = 0;
    let turned = 0;
    fading.stations.forEach((st, i) => {
      const [e] = st.echoes;
      expect(standing.stations[i].echoes[0].fadeHz).toBeUndefined();
      expect(Math.abs(e.fadeHz!)).toBeLessThanOrEqual(0.5);
      expect(e.fadeHz).not.toBe(0);
      const x = standing.stations[i].iq;
      const y = st.iq;
      const fHz = standing.signal.offsetHz + 0.3 * (standing.signal.occupiedBandwidthHz / 2);
      const h = (tS: number) => {
        const ph = e.phaseRad + 2 * Math.PI * (e.fadeHz ?? 0) * tS - 2 * Math.PI * fHz * e.delayS;
        return [1 + e.relativeAmplitude * Math.cos(ph), e.relativeAmplitude * Math.sin(ph)];
      };
      const h0 = (() => {
        const ph = e.phaseRad - 2 * Math.PI * fHz * e.delayS;
        return [1 + e.relativeAmplitude * Math.cos(ph), e.relativeAmplitude * Math.sin(ph)];
      })();
      const blocks: { p: number; rr: number; ri: number; er: number; ei: number }[] = [];
      for (let start = n; start + n < st.samples; start += 8 * n) {
        // Hann-windowed: a noise-like block's other frequencies leak in far less.
        const [xr, xi] = dftAt(x, start, n, fHz / st.trueRateHz, true);
        const [yr, yi] = dftAt(y, start, n, fHz / st.trueRateHz, true);
        // y / x against H(t) / H(0), both complex.
        const p = xr * xr + xi * xi;
        const [ar, ai] = h(st.startS + (start + n / 2) / st.trueRateHz);
        const q = h0[0] * h0[0] + h0[1] * h0[1];
        blocks.push({
          p,
          rr: (yr * xr + yi * xi) / p,
          ri: (yi * xr - yr * xi) / p,
          er: (ar * h0[0] + ai * h0[1]) / q,
          ei: (ai * h0[0] - ar * h0[1]) / q,
        });
      }
      // A block whose spectrum has a null at f reads its neighbours' leakage: those are left out.
      const median = [...blocks].sort((a, b) => a.p - b.p)[blocks.length >> 1].p;
      for (const b of blocks.filter((b) => b.p >= median / 4)) {
        // Within a window H changes across its main lobe (0.06 rad of the echo at 100 us): a few %.
        expect(Math.hypot(b.rr - b.er, b.ri - b.ei)).toBeLessThan(0.08 * Math.hypot(b.er, b.ei));
        if (Math.hypot(b.er - 1, b.ei) > 0.3) turned++;
        checked++;
      }
    });
    expect(checked).toBeGreaterThanOrEqual(20);
    // The fading moved the ratio far from 1 in many blocks: the check is not of a constant.
    expect(turned).toBeGreaterThanOrEqual(5);
  });

  it('stamps Kiwi blocks like a real receiver: fresh fixes every 2-5 s, jitter-sized errors, a bad first block', () => {
    const s = simulateTdoaScene(3, 1, {
      durationS: 20,
      formatShares: { kiwi: 1, sigmf: 0 },
      impairments: {
        ...DEFAULT_IMPAIRMENTS,
        zeroFirstBlockFraction: 1,
        gapFraction: 0,
        noFixFraction: 0,
        lateFirstFixFraction: 0,
      },
    });
    for (const st of s.stations) {
      const blocks = st.kiwi!.blocks;
      expect(st.kiwi!.stamps[0]).toEqual({ lastSolution: 0, gpsSec: 0, gpsNsec: 0 });
      const fresh = blocks.map((b, i) => ({ ...b, i })).filter((b) => b.fresh);
      expect(fresh.length).toBeGreaterThanOrEqual(3);
      for (let k = 1; k < fresh.length; k++) {
        const dt = fresh[k].trueStartS - fresh[k - 1].trueStartS;
        expect(dt).toBeGreaterThan(1.9);
        expect(dt).toBeLessThan(5.1);
      }
      for (const b of fresh) {
        expect(b.lastSolution).toBe(0);
        expect(Math.abs(b.stampS - b.trueStartS)).toBeLessThan(300e-9); // 50 ns jitter at most, 6 sigma
        // The written stamp is that time as GPS time of week, to the nanosecond.
        const stamp = st.kiwi!.stamps[b.i];
        const utcMs = gpsTimeOfWeekToUtcMs(stamp.gpsSec, stamp.gpsNsec, s.epochUnixS * 1000);
        expect(Math.abs(utcMs / 1000 - s.epochUnixS - b.stampS)).toBeLessThan(1e-6);
      }
      // The rate through the fresh stamps is the true rate, not the header's.
      const a = fresh[0];
      const z = fresh[fresh.length - 1];
      const rate = ((z.i - a.i) * KIWI_BLOCK_PAIRS) / (z.stampS - a.stampS);
      expect(Math.abs(rate - st.trueRateHz)).toBeLessThan(1e-3);
      expect(Math.abs(rate - st.nominalRateHz) / st.nominalRateHz).toBeLessThan(51e-6);
    }
  });

  it('simulates a late first fix, no fix, and a gap, and says which stations a solver must drop', () => {
    const s = simulateTdoaScene(3, 2, {
      durationS: 12,
      formatShares: { kiwi: 1, sigmf: 0 },
      network: {
        stationCount: { min: 8, max: 8 },
        radiusKm: { lo: 200, hi: 200 },
        transmitterRadiusFactor: 1,
      },
      impairments: {
        ...DEFAULT_IMPAIRMENTS,
        lateFirstFixFraction: 1,
        gapFraction: 0.5,
        noFixFraction: 0.2,
      },
    });
    for (const st of s.stations) {
      const counters = st.kiwi!.blocks.map((b) => b.lastSolution);
      expect(counters[1]).toBe(NO_FIX);
      if (st.expectedExclusion === 'no GPS fix') {
        expect(counters.slice(1).every((c) => c === NO_FIX)).toBe(true);
      } else {
        expect(counters.some((c) => c < NO_FIX)).toBe(true);
      }
      if (st.gap) {
        const b = st.gap.afterBlock;
        const blocks = st.kiwi!.blocks;
        const step = (blocks[b + 1].trueStartS - blocks[b].trueStartS) * st.trueRateHz;
        expect(step).toBeCloseTo((1 + st.gap.lostBlocks) * KIWI_BLOCK_PAIRS, 6);
        expect(st.expectedExclusion).toBeDefined();
      }
    }
    expect(s.stations.some((st) => st.gap)).toBe(true);
    // The bound leaves the excluded stations out.
    const crb = sceneCrb(s);
    expect(crb.stationIds).toEqual(
      s.stations.filter((st) => !st.expectedExclusion).map((st) => st.station.id),
    );
  });

  it('writes files the project readers open, placed by stations.json or SigMF geolocation', async () => {
    const s = simulateTdoaScene(9, 0, { ...short, formatShares: { kiwi: 0, sigmf: 0 } }); // mixed
    const files = sceneFiles(s);
    expect(s.stations.map((st) => st.format)).toContain('kiwi');
    expect(s.stations.map((st) => st.format)).toContain('sigmf');
    const { recordings, errors } = await openRecordings(
      files.recordings.map((f) => source(f.name, f.bytes)),
    );
    expect(errors).toEqual([]);
    expect(recordings).toHaveLength(s.stations.length);
    const list = parseStationList(files.stationsJson.bytes as string, 'stations.json');
    for (const rec of recordings) {
      const match = matchStation(rec.info, list.stations);
      const st = s.stations.find((x) => x.station.id === match.station?.id);
      expect(st).toBeDefined();
      expect(match.station!.lat).toBeCloseTo(st!.station.lat, 9);
      expect(rec.info.totalSamples).toBe(st!.samples);
      expect(rec.info.centerFrequencyHz).toBe(s.centerFrequencyHz);
      expect(rec.info.format).toBe(st!.format === 'kiwi' ? 'kiwi-wav' : 'sigmf');
    }
    const meta = files.recordings.find((f) => f.name.endsWith('.sigmf-meta'))!;
    const parsed = parseSigmfMeta(meta.bytes as string, meta.name);
    const st = s.stations.find((x) => meta.name.includes(`_${x.station.id}.`))!;
    expect(parsed.receiverHint).toBe(st.station.id);
    expect(parsed.geolocation).toMatchObject({ lat: st.station.lat, lon: st.station.lon });
    expect(parsed.captures[0]).toMatchObject({
      sampleStart: 0,
      datetime: isoUtcNanoseconds(s.epochUnixS, st.sigmf!.captures[0].datetimeS),
    });
    expect(parsed.sampleRateHz).toBe(12000);
    expect(parsed.codec.datatype).toBe('ci16_le');
    expect(JSON.parse(files.truthJson.bytes as string).transmitter).toEqual(s.transmitter);
  });

  it('gives a SigMF recording with a gap a second capture segment timed from its first sample', async () => {
    const s = simulateTdoaScene(9, 1, {
      ...short,
      formatShares: { kiwi: 0, sigmf: 1 },
      impairments: { ...DEFAULT_IMPAIRMENTS, gapFraction: 1 },
    });
    const st = s.stations[0];
    expect(st.expectedExclusion).toBeUndefined();
    const [first, second] = st.sigmf!.captures;
    expect(second.sampleStart).toBe((st.gap!.afterBlock + 1) * KIWI_BLOCK_PAIRS);
    const trueS =
      st.startS + (second.sampleStart + st.gap!.lostBlocks * KIWI_BLOCK_PAIRS) / st.trueRateHz;
    expect(Math.abs(second.datetimeS - trueS)).toBeLessThan(300e-9);
    expect(Math.abs(first.datetimeS - st.startS)).toBeLessThan(300e-9);
    const files = sceneFiles(s);
    const { recordings, errors } = await openRecordings(
      files.recordings.map((f) => source(f.name, f.bytes)),
    );
    expect(errors).toEqual([]);
    expect(recordings[0].info.totalSamples).toBe(st.samples);
    const meta = parseSigmfMeta(files.recordings[0].bytes as string, files.recordings[0].name);
    expect(meta.captures.map((c) => c.sampleStart)).toEqual([0, second.sampleStart]);
    expect(meta.captures[1].datetime).toBe(isoUtcNanoseconds(s.epochUnixS, second.datetimeS));
  });

  it('writes SigMF times to the nanosecond', () => {
    const epoch = Date.UTC(2026, 2, 2, 0, 0, 0) / 1000;
    expect(isoUtcNanoseconds(epoch, 1.000000123)).toBe('2026-03-02T00:00:01.000000123Z');
    expect(isoUtcNanoseconds(epoch, 59.9999999999)).toBe('2026-03-02T00:01:00.000000000Z');
  });
});
