/**
 * TDoA for one scene of simultaneous recordings (issue 12): stations placed, every sample timed
 * (GPS stamps or SigMF datetimes), lags of every pair in the band of the strongest common signal,
 * closure checked, then the position with calibrated 68 %/95 % regions, both modes when the
 * geometry is ambiguous, or the hyperbola when only two stations are usable.
 *
 * Sign convention (types.ts): the lag of pair (a, b) is t_b - t_a; positive: b heard it later.
 */
import { HeimdallError } from '../errors';
import type { IqRecording } from '../readers/types';
import {
  chi2Quantile95,
  fitStationTimes,
  largestLinkedGroup,
  stationVariances,
  tripletClosures,
  type LagMeasurement,
} from './closure';
import { echoShares } from './channelSlope';
import { edgeLagsToAdmit } from './edgeLags';
import { hyperbola } from './hyperbola';
import { CARRIER_MIN_SIGNIFICANCE, measureLags } from './measureLags';
import { biasProbabilities, effectiveChi2 } from './refine';
import { prepareStations, type Candidate } from './prepareStations';
import { geodesicDistanceM, SPEED_OF_LIGHT_M_S } from './propagation';
import { spectralInformation, shapedVariances } from './spectralShares';
import { splitAt, splitToIso } from './splitTime';
import { stageClock } from './stageTimes';
import { delayModel, hyperbolaGrid, searchBox, solvePosition } from './solvePosition';
import {
  ECHO_CERTAIN_SHARE,
  MAX_BIASED_STATIONS,
  MULTIPATH_BIAS_S,
  MULTIPATH_SHARE,
  STATION_MODEL_ERROR_S,
} from './tdoaDefaults';
import type { PairLag, Station, TdoaOptions, TdoaResult } from './types';

function unusable(scene: string, uses: TdoaResult['stations'], what: string): HeimdallError {
  // The files still usable are named too: a scene of one recording (a file whose neighbours are
  // in other scenes) otherwise fails without saying which file it is.
  const usable = uses.filter((u) => u.used).map((u) => u.file ?? u.id);
  const detail = [
    ...uses.filter((u) => !u.used).map((u) => `${u.file ?? u.id}: ${u.reason}`),
    ...(usable.length ? [`usable: ${usable.join(', ')}`] : []),
  ].join('; ');
  return new HeimdallError(
    'SceneIncompleteError',
    `scene ${scene}: ${what}${detail ? ` (${detail})` : ''}`,
  );
}

export async function locateTdoa(
  scene: string,
  recordings: IqRecording[],
  stations: Station[],
  options: TdoaOptions = {},
): Promise<TdoaResult> {
  const lap = stageClock(options.stageMs);
  const prepared = prepareStations(recordings, stations);
  lap('timing');
  const { uses } = prepared;
  const cands: Candidate[] = prepared.candidates;
  if (cands.length < 2) {
    throw unusable(
      scene,
      uses,
      `${cands.length} usable recording(s); TDoA needs at least two stations`,
    );
  }
  const measured = await measureLags(
    cands,
    prepared.overlap,
    options.bandHz,
    (i, reason) => {
      cands[i].use.used = false;
      cands[i].use.reason = reason;
    },
    lap,
  );
  if (!measured.ok) throw unusable(scene, uses, measured.reason);

  const modelErrorS = (options.stationModelErrorUs ?? STATION_MODEL_ERROR_S * 1e6) * 1e-6;
  const fs = measured.plan.sampleRateHz;
  const pairLags: PairLag[] = measured.pairs.map((p) => {
    const lag: PairLag = {
      a: cands[p.a].use.id,
      b: cands[p.b].use.id,
      lagUs: p.lagS * 1e6,
      sigmaUs: Math.sqrt(p.sigmaS ** 2 + 2 * modelErrorS ** 2) * 1e6,
      peak: p.peak,
      curve: p.curve,
      used: !p.atEdge && Number.isFinite(p.lagS) && Number.isFinite(p.sigmaS),
    };
    if (!p.atEdge && !lag.used) {
      lag.reason = 'the correlation gave no finite lag or error (no common signal)';
    } else if (p.atEdge) {
      lag.reason = 'the correlation peaks at the edge of the lags the geometry allows';
      // Anywhere in the window: its half-width is the honest error.
      lag.sigmaUs = Math.max(
        lag.sigmaUs,
        (Math.max(...p.curve.lagUs) - Math.min(...p.curve.lagUs)) / 2,
      );
    }
    return lag;
  });

  // Stations still in play and their measurements (indices into `alive`).
  let alive = cands.map((_, i) => i).filter((i) => cands[i].use.used);
  const notes: string[] = [];
  /** Used pairs among `alive`, with their total error, or (measuredOnly) the data's alone. */
  const measurements = (measuredOnly = false): LagMeasurement[] =>
    measured.pairs
      .map((p, k) => ({ p, k }))
      .filter(({ p, k }) => pairLags[k].used && alive.includes(p.a) && alive.includes(p.b))
      .map(({ p, k }) => ({
        a: alive.indexOf(p.a),
        b: alive.indexOf(p.b),
        lagS: p.lagS,
        sigmaS: measuredOnly ? p.sigmaS : pairLags[k].sigmaUs * 1e-6,
      }));

  // Stations with no usable lag to the others cannot be placed in time.
  let linked = largestLinkedGroup(alive.length, measurements()).map((i) => alive[i]);
  // Too few stations for a point: edge lags may link a third (edgeLags.ts).
  const inPlay = measured.pairs
    .map((p, k) => ({ p, k }))
    .filter(({ p }) => alive.includes(p.a) && alive.includes(p.b));
  const admitted = edgeLagsToAdmit(
    alive.length,
    inPlay.map(({ p, k }) => ({
      a: alive.indexOf(p.a),
      b: alive.indexOf(p.b),
      used: pairLags[k].used === true,
      atEdge: p.atEdge && Number.isFinite(p.lagS) && Number.isFinite(p.sigmaS),
    })),
  ).map((q) => inPlay[q].k);
  if (admitted.length > 0) {
    for (const k of admitted) {
      const lag = pairLags[k];
      lag.used = true;
      delete lag.reason;
      // The closure and station variances read the data's own error: the window's half-width.
      measured.pairs[k].sigmaS = Math.max(
        measured.pairs[k].sigmaS,
        Math.sqrt(Math.max(0, (lag.sigmaUs * 1e-6) ** 2 - 2 * modelErrorS ** 2)),
      );
    }
    linked = largestLinkedGroup(alive.length, measurements()).map((i) => alive[i]);
    notes.push(
      'fewer than three stations gave a clear correlation peak: lags that peak at the edge of the window the geometry allows are used, with its half-width as their error',
    );
  }
  for (const i of alive) {
    if (linked.includes(i)) continue;
    cands[i].use.used = false;
    cands[i].use.reason =
      'no usable correlation peak with the other stations (the signal does not stand out, or the peak lies at the edge of the lags the geometry allows)';
  }
  alive = linked.length >= 2 ? linked : [];
  if (alive.length < 2) throw unusable(scene, uses, 'no pair of stations gives a usable lag');

  // Closure: with four or more stations, drop the one whose removal restores agreement.
  let fit = fitStationTimes(alive.length, measurements());
  while (alive.length >= 4 && fit.dof > 0 && fit.chi2 > chi2Quantile95(fit.dof)) {
    let best = -1;
    let bestRatio = Infinity;
    for (let i = 0; i < alive.length; i++) {
      const keep = alive.filter((_, j) => j !== i);
      const saved = alive;
      alive = keep;
      // A removal that cuts the rest apart cannot be fitted (a singular system): not a candidate.
      const linkedAfter = largestLinkedGroup(alive.length, measurements()).length;
      const f = linkedAfter === alive.length ? fitStationTimes(alive.length, measurements()) : null;
      alive = saved;
      const ratio = f && f.dof > 0 ? f.chi2 / chi2Quantile95(f.dof) : Infinity;
      if (ratio < bestRatio) [best, bestRatio] = [i, ratio];
    }
    if (best < 0 || bestRatio > 1) break;
    const worst = measurements()
      .filter((m) => m.a === best || m.b === best)
      .map((m) => Math.abs(m.lagS - (fit.timesS[m.b] - fit.timesS[m.a])) * 1e6);
    const c = cands[alive[best]];
    c.use.used = false;
    c.use.reason = `does not fit: its lags disagree with the other stations' by up to ${Math.max(...worst).toFixed(1)} us (triplet closure)`;
    alive = alive.filter((_, j) => j !== best);
    fit = fitStationTimes(alive.length, measurements());
  }
  // With three stations disagreement cannot be pinned on one: scale the uncertainties instead.
  const ms = measurements();
  // Each station's share of the measured error, plus the model error every station has.
  // Shaped by each station's spectrum, scaled by the pairs' scatter (spectralShares.ts).
  const measuredLags = measurements(true);
  let variances = shapedVariances({
    information: alive.map((i) => spectralInformation(measured.spectra[i].snr, measured.band.bins)),
    lags: measuredLags,
    jackknifeS2: stationVariances(alive.length, measuredLags),
    groups: Math.min(...measured.pairs.map((p) => p.groups)),
  }).map((v) => v + modelErrorS ** 2);
  if (fit.dof > 0 && fit.chi2 > chi2Quantile95(fit.dof)) {
    const birge = fit.chi2 / fit.dof;
    variances = variances.map((v) => v * birge);
    notes.push(
      `the pair lags disagree (closure chi-square ${fit.chi2.toFixed(1)} for ${fit.dof} degree(s) of freedom): uncertainties scaled by ${Math.sqrt(birge).toFixed(2)}`,
    );
  }

  if (measured.band.againstCarrier) {
    const weak = measured.pairs.filter((p) => p.significance < CARRIER_MIN_SIGNIFICANCE).length;
    notes.push(
      'the stations share only a steady carrier, its modulation under the noise: the lags are its ' +
        'sidebands read against it (synchronous detection)' +
        (weak > 0
          ? `; ${weak} of ${measured.pairs.length} pairs show no timing and count for nothing`
          : ''),
    );
  }

  const closures = tripletClosures(alive.length, ms).map((t) => ({
    a: cands[alive[t.a]].use.id,
    b: cands[alive[t.b]].use.id,
    c: cands[alive[t.c]].use.id,
    residualUs: t.residualS * 1e6,
    sigmaUs: t.sigmaS * 1e6,
  }));
  const spanStart = measured.plan.startS;
  const spanS = ((measured.plan.blocks - 1) * measured.plan.hop + measured.plan.blockSize) / fs;
  const result: TdoaResult = {
    scene,
    method: 'tdoa',
    stations: uses,
    pairs: pairLags,
    ellipses: [],
    band: {
      loHz: measured.band.loHz,
      hiHz: measured.band.hiHz,
      chosenBy: measured.band.chosenBy,
      ...(measured.band.againstCarrier ? { againstCarrier: true } : {}),
    },
    span: { start: splitToIso(splitAt(prepared.epochSec, spanStart)), durationS: spanS },
  };
  if (closures.length) result.closures = closures;
  if (alive.length < 2) throw unusable(scene, uses, 'fewer than two stations fit together');

  const positions = alive.map((i) => cands[i].station);
  // Multipath: each station's share from its spectrum's tilt against the others'
  // (channelSlope.ts); a station all but certainly echoed carries the bias's variance outright,
  // so the configurations need enumerate only the doubtful ones.
  const tilts = alive.map((i) => measured.tilts?.get(i));
  let shares: number | number[] = MULTIPATH_SHARE;
  if (tilts.every((t) => t !== undefined)) {
    const p = echoShares(
      { slopeS: tilts.map((t) => t!.slopeS), sigmaS: tilts.map((t) => t!.sigmaS) },
      MULTIPATH_SHARE,
      MULTIPATH_BIAS_S ** 2,
    );
    const echoed = p.map((x) => x >= ECHO_CERTAIN_SHARE);
    variances = variances.map((v, k) => (echoed[k] ? v + MULTIPATH_BIAS_S ** 2 : v));
    shares = p.map((x, k) => (echoed[k] ? 0 : x));
    // Each reported pair error then includes what its stations' echoes may add (a mixture's
    // variance: share times the bias's), so the lags' sigmas say what the position uses.
    measured.pairs.forEach((pair, k) => {
      const ia = alive.indexOf(pair.a);
      const ib = alive.indexOf(pair.b);
      if (ia < 0 || ib < 0) return;
      const extraUs2 = (p[ia] + p[ib]) * (MULTIPATH_BIAS_S * 1e6) ** 2;
      pairLags[k].sigmaUs = Math.sqrt(pairLags[k].sigmaUs ** 2 + extraUs2);
    });
    const names = alive.filter((_, k) => echoed[k]).map((i) => cands[i].use.id);
    if (names.length === 2 && alive.length === 2)
      // A tilt is measured against the other stations: with two, each is the other's reference.
      notes.push(
        `${names.join(', ')}: their spectra are tilted against each other (an echo at one of them?); two stations cannot tell which, so the timing of both may carry a multipath bias of tens of microseconds and counts for less`,
      );
    else if (names.length)
      notes.push(
        names.length === 1
          ? `${names[0]}: the spectrum is tilted against the other stations' (an echo?), so its timing may carry a multipath bias of tens of microseconds; it counts for less`
          : `${names.join(', ')}: their spectra are tilted against the other stations' (echoes?), so their timing may carry a multipath bias of tens of microseconds; they count for less`,
      );
  }
  const outliers = {
    share: shares,
    extraS2: MULTIPATH_BIAS_S ** 2,
    maxCount: Math.min(MAX_BIASED_STATIONS, alive.length),
  };
  let model = delayModel(positions, fit.timesS, variances, outliers);
  if (alive.length === 2) {
    const box = searchBox(positions);
    const rangeM =
      2 * geodesicDistanceM({ lat: box.south, lon: box.west }, { lat: box.north, lon: box.east });
    // Two stations closer than their lag's error in light time (one place given twice in the
    // list, two receivers on one roof) have a lag that fits every place alike: no line to draw.
    const apartM = geodesicDistanceM(positions[0], positions[1]);
    // The error the pair reports (with what echoes may add), which the operator reads.
    const lagSigmaS = Math.max(...pairLags.filter((p) => p.used).map((p) => p.sigmaUs)) * 1e-6;
    if (apartM / SPEED_OF_LIGHT_M_S < lagSigmaS) {
      throw unusable(
        scene,
        uses,
        `the two usable stations stand ${apartM.toFixed(0)} m apart, less than their lag's error ` +
          `(${(lagSigmaS * 1e6).toFixed(1)} us, ${((lagSigmaS * SPEED_OF_LIGHT_M_S) / 1000).toFixed(1)} km of path): ` +
          'the lag fits every place alike, so it draws no line (a station elsewhere is needed)',
      );
    }
    result.hyperbola = hyperbola(positions[0], positions[1], fit.timesS[1], rangeM);
    result.grid = hyperbolaGrid(model, options.gridCells);
    notes.push(
      'two usable stations: the transmitter lies on the hyperbola; a third station gives a point',
    );
  } else {
    let sol = solvePosition(model, options.gridCells, lap);
    // Four or more stations over-determine the point: a misfit there that even the multipath
    // configurations leave (more stations biased than they allow, a propagation error common to
    // several) is added to every station, so the regions say what the data show.
    const dof = alive.length - 3;
    const misfit = dof > 0 ? effectiveChi2(model, sol, 0) : 0;
    if (dof > 0 && misfit > chi2Quantile95(dof)) {
      let lo = 0;
      let hi = Math.max(...variances);
      while (effectiveChi2(model, sol, hi) > dof && hi < 1) hi *= 4;
      for (let i = 0; i < 40; i++) {
        const mid = (lo + hi) / 2;
        if (effectiveChi2(model, sol, mid) > dof) lo = mid;
        else hi = mid;
      }
      variances = variances.map((v) => v + hi);
      model = delayModel(positions, fit.timesS, variances, outliers);
      sol = solvePosition(model, options.gridCells, lap);
      notes.push(
        `the position misfit (chi-square ${misfit.toFixed(1)} for ${dof} degree(s) of freedom) shows errors beyond the lags' scatter: ${(Math.sqrt(hi) * 1e6).toFixed(1)} us added per station`,
      );
    }
    result.lat = sol.lat;
    result.lon = sol.lon;
    result.ellipses = sol.ellipses;
    result.grid = sol.grid;
    if (sol.modes) result.modes = sol.modes;
    notes.push(...sol.notes);
    // With four or more stations the data can single out a station whose timing is biased
    // (multipath): say which, so the operator can look at it.
    if (alive.length >= 4) {
      biasProbabilities(model, sol).forEach((pr, k) => {
        if (pr > 0.5)
          notes.push(
            `${cands[alive[k]].use.id}: its timing fits the others only with a bias of tens of microseconds (multipath?), probability ${pr.toFixed(2)}; it counts for less`,
          );
      });
    }
  }
  // The rest of the position stage (solvePosition laps its own steps).
  lap('position: rest');
  if (notes.length) result.notes = notes;
  return result;
}
