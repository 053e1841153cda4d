/**
 * Multipath evidence from the stations' spectra (channelSlope.ts), the per-station mixture shares
 * (stationLikelihood.ts) and the spatial prior (spatialPrior.ts).
 */
import { describe, expect, it } from 'vitest';
import { channelTilts, echoShares } from '../../src/core/tdoa/channelSlope';
import { configurations } from '../../src/core/tdoa/stationLikelihood';
import { logPrior, networkPrior } from '../../src/core/tdoa/spatialPrior';
import { geodesicDirect } from '../../src/core/geodesy';

const N = 4096;
const FS = 12000;
const BAND = 400; // bins: about 1.2 kHz

/** Band bins around bin 300 and their angular frequencies. */
function band(): { bins: Int32Array; omega: Float64Array } {
  const bins = Int32Array.from({ length: BAND }, (_, j) => 300 + j - BAND / 2);
  const omega = Float64Array.from(bins, (b) => (2 * Math.PI * b * FS) / N);
  return { bins, omega };
}

/** |1 + alpha e^{-i (w delta + phi)}|^2 */
const echoGain = (w: number, alpha: number, delayS: number, phi: number) =>
  1 + alpha * alpha + 2 * alpha * Math.cos(w * delayS + phi);

function spectra(echo: { station: number; alpha: number; delayS: number; phi: number }) {
  const { bins, omega } = band();
  const snr = [0, 1, 2, 3].map((i) => {
    const s = new Float64Array(N);
    bins.forEach((b, j) => {
      // A shaped transmitted spectrum (common to all) at 60 dB, each station its own gain.
      const shape = 1 + 0.5 * Math.cos((2 * Math.PI * j) / BAND);
      const gain = i === echo.station ? echoGain(omega[j], echo.alpha, echo.delayS, echo.phi) : 1;
      s[b] = 1e6 * (1 + 0.1 * i) * shape * gain;
    });
    return s;
  });
  return { snr, bins, omega };
}

/** Plain least-squares slope of y over x (an independent fit). */
function slope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) [mx, my] = [mx + x[i] / n, my + y[i] / n];
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

describe('spectral tilt of an echoed station', () => {
  it("is the tilt of ln |H|^2, the transmitted spectrum and the stations' gains removed", () => {
    const echo = { station: 2, alpha: 0.3, delayS: 100e-6, phi: 1.1 };
    const { snr, bins, omega } = spectra(echo);
    const tilt = channelTilts(snr, bins, omega, 100)!;
    const expected = slope(
      omega,
      Array.from(omega, (w) => Math.log(echoGain(w, echo.alpha, echo.delayS, echo.phi))),
    );
    // Against a clean station the difference is the channel's own tilt.
    expect(tilt.slopeS[2] - tilt.slopeS[0]).toBeCloseTo(expected, 9);
    expect(tilt.slopeS[1] - tilt.slopeS[0]).toBeCloseTo(0, 12);
    // Half the tilt is of the echo's scale alpha * delta (30 us here), in quadrature with the bias.
    expect(Math.abs(expected) / 2).toBeGreaterThan(5e-6);
    expect(Math.abs(expected) / 2).toBeLessThan(echo.alpha * echo.delayS * 1.5);
  });

  it('makes the echoed station probably biased, and echoes at the others more likely', () => {
    const { snr, bins, omega } = spectra({ station: 2, alpha: 0.3, delayS: 100e-6, phi: 1.1 });
    const tilt = channelTilts(snr, bins, omega, 100)!;
    const shares = echoShares({ ...tilt, sigmaS: [1e-6, 1e-6, 1e-6, 1e-6] }, 0.1, 30e-6 ** 2);
    expect(shares[2]).toBeGreaterThan(0.99);
    // A flat spectrum does not clear a station of biases that do not tilt it, and one echoed
    // station of four raises the scene's share: (0.1 * 5 + 1 + 3 s) / (5 + 4) = s, s = 0.25.
    for (const i of [0, 1, 3]) expect(shares[i]).toBeCloseTo(0.25, 3);
  });

  it('leaves the prior where the tilt cannot be measured', () => {
    const shares = echoShares(
      { slopeS: [0, 50e-6, -20e-6], sigmaS: [1e-3, 1e-3, 1e-3] },
      0.1,
      30e-6 ** 2,
    );
    for (const p of shares) expect(p).toBeCloseTo(0.1, 2);
  });

  it('needs two stations and a few bins above 0 dB', () => {
    const { bins, omega } = band();
    const weak = new Float64Array(N).fill(0.5);
    expect(channelTilts([weak, weak], bins, omega, 100)).toBeUndefined();
    expect(channelTilts([new Float64Array(N).fill(10)], bins, omega, 100)).toBeUndefined();
  });
});

describe('mixture configurations with a share per station', () => {
  it('equal shares give the configurations of one share', () => {
    const v = [1e-12, 2e-12, 4e-12, 3e-12];
    const one = configurations(v, { share: 0.1, extraS2: 9e-10, maxCount: 2 });
    const each = configurations(v, { share: [0.1, 0.1, 0.1, 0.1], extraS2: 9e-10, maxCount: 2 });
    expect(Array.from(each.members)).toEqual(Array.from(one.members));
    each.logConst.forEach((c, k) => expect(c).toBeCloseTo(one.logConst[k], 12));
  });

  it('never enumerates a station whose share is 0', () => {
    const c = configurations([1, 1, 1], { share: [0.2, 0, 0.3], extraS2: 4, maxCount: 2 });
    expect(Array.from(c.members)).not.toContain(1);
    // {}, {0}, {2}, {0, 2}
    expect(c.logConst.length).toBe(4);
    expect(c.logConst[0]).toBeCloseTo(Math.log(0.8) + Math.log(0.7), 12);
  });
});

describe('spatial prior', () => {
  const centre = { lat: 50, lon: 8 };
  const stations = [0, 120, 240].map((az) => geodesicDirect(centre, az, 200_000));

  it('is centred on the receivers, with the network radius as its scale', () => {
    const prior = networkPrior(stations);
    expect(prior.centre.lat).toBeCloseTo(50, 1);
    expect(prior.centre.lon).toBeCloseTo(8, 1);
    expect(prior.scaleM).toBeGreaterThan(195_000);
    expect(prior.scaleM).toBeLessThan(205_000);
  });

  it('falls as (1 + d^2 / 2 s^2)^-2', () => {
    const prior = { centre, scaleM: 200_000 };
    expect(logPrior(prior, 50, 8)).toBeCloseTo(0, 12);
    const at = (d: number) => {
      const p = geodesicDirect(centre, 70, d);
      return logPrior(prior, p.lat, p.lon);
    };
    expect(at(200_000)).toBeCloseTo(-2 * Math.log(1.5), 2);
    expect(at(1_000_000)).toBeCloseTo(-2 * Math.log(1 + 12.5), 1);
  });
});
