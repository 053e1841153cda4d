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
  stationVariances,
  tripletClosures,
  type LagMeasurement,
} from './closure';
import { hyperbola } from './hyperbola';
import { measureLags } from './measureLags';
import { prepareStations, type Candidate } from './prepareStations';
import { geodesicDistanceM } from './propagation';
import { splitAt, splitToIso } from './splitTime';
import { delayModel, hyperbolaGrid, searchBox, solvePosition } from './solvePosition';
import { STATION_MODEL_ERROR_S } from './tdoaDefaults';
import type { PairLag, Station, TdoaOptions, TdoaResult } from './types';

function unusable(scene: string, uses: TdoaResult['stations'], what: string): HeimdallError {
  const detail = uses
    .filter((u) => !u.used)
    .map((u) => `${u.file ?? u.id}: ${u.reason}`)
    .join('; ');
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
  const prepared = prepareStations(recordings, stations);
  const { uses } = prepared;
  const cands: Candidate[] = prepared.candidates;
  if (cands.length < 2) {
    throw unusable(
      scene,
      uses,
      `${cands.length} usable recording(s); TDoA needs at least two stations`,
    );
  }
  const measured = await measureLags(cands, prepared.overlap, options.bandHz, (i, reason) => {
    cands[i].use.used = false;
    cands[i].use.reason = reason;
  });
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
      used: !p.atEdge,
    };
    if (p.atEdge) lag.reason = 'the correlation peaks at the edge of the lags the geometry allows';
    return lag;
  });

  // Stations still in play and their measurements (indices into `alive`).
  let alive = cands.map((_, i) => i).filter((i) => cands[i].use.used);
  const notes: string[] = [];
  const measurements = (): LagMeasurement[] =>
    measured.pairs
      .map((p, k) => ({ p, k }))
      .filter(({ p, k }) => pairLags[k].used && alive.includes(p.a) && alive.includes(p.b))
      .map(({ p, k }) => ({
        a: alive.indexOf(p.a),
        b: alive.indexOf(p.b),
        lagS: p.lagS,
        sigmaS: pairLags[k].sigmaUs * 1e-6,
      }));

  // Closure: with four or more stations, drop the one whose removal restores agreement.
  let fit = fitStationTimes(alive.length, measurements());
  while (alive.length >= 4 && fit.dof > 0 && fit.chi2 > chi2Quantile95(fit.dof)) {
    let best = -1;
    let bestRatio = Infinity;
    for (let i = 0; i < alive.length; i++) {
      const keep = alive.filter((_, j) => j !== i);
      const saved = alive;
      alive = keep;
      const f = fitStationTimes(alive.length, measurements());
      alive = saved;
      const ratio = f.dof > 0 ? f.chi2 / chi2Quantile95(f.dof) : Infinity;
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
  let variances = stationVariances(alive.length, ms);
  if (fit.dof > 0 && fit.chi2 > chi2Quantile95(fit.dof)) {
    const birge = fit.chi2 / fit.dof;
    variances = variances.map((v) => v * birge);
    notes.push(
      `the pair lags disagree (closure chi-square ${fit.chi2.toFixed(1)} for ${fit.dof} degree(s) of freedom): uncertainties scaled by ${Math.sqrt(birge).toFixed(2)}`,
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
    band: { loHz: measured.band.loHz, hiHz: measured.band.hiHz, chosenBy: measured.band.chosenBy },
    span: { start: splitToIso(splitAt(prepared.epochSec, spanStart)), durationS: spanS },
  };
  if (closures.length) result.closures = closures;
  if (alive.length < 2) throw unusable(scene, uses, 'fewer than two stations fit together');

  const positions = alive.map((i) => cands[i].station);
  const model = delayModel(positions, fit.timesS, variances);
  if (alive.length === 2) {
    const box = searchBox(positions);
    const rangeM =
      2 * geodesicDistanceM({ lat: box.south, lon: box.west }, { lat: box.north, lon: box.east });
    result.hyperbola = hyperbola(positions[0], positions[1], fit.timesS[1], rangeM);
    result.grid = hyperbolaGrid(model, options.gridCells);
    notes.push(
      'two usable stations: the transmitter lies on the hyperbola; a third station gives a point',
    );
  } else {
    const sol = solvePosition(model, options.gridCells);
    result.lat = sol.lat;
    result.lon = sol.lon;
    result.ellipses = sol.ellipses;
    result.grid = sol.grid;
    if (sol.modes) result.modes = sol.modes;
    notes.push(...sol.notes);
  }
  if (notes.length) result.notes = notes;
  return result;
}
