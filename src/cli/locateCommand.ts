import type { Command } from 'commander';
import { HeimdallError, isHeimdallError } from '../core/errors';
import type { RawParams } from '../core/readers/types';
import { DEFAULT_REGISTRY_PATH } from '../node/registry';
import { locateGrouped, locateModels } from './anyNetworkLocate';
import { printable } from './printable';
import type { RecordingRef } from './recordingScan';
import { scanInputs } from './scanInputs';
import { SceneAssembler } from './sceneAssembler';
import { sceneLine, type SceneLine } from './sceneLocator';
import { loadStationFileKeepingOthers } from './stationFile';

interface LocateOptions {
  model?: string;
  registry: string;
  stations?: string;
  json?: boolean;
  rawDatatype?: string;
  rawRate?: string;
  rawFrequency?: string;
  rawTime?: string;
}

function rawParams(o: LocateOptions): RawParams | undefined {
  if (!o.rawDatatype && !o.rawRate) return undefined;
  if (!['cu8', 'cs16', 'cf32'].includes(o.rawDatatype ?? '')) {
    throw new HeimdallError('ConfigError', '--raw-datatype must be cu8, cs16 or cf32');
  }
  const sampleRateHz = Number(o.rawRate);
  if (!(sampleRateHz > 0))
    throw new HeimdallError('ConfigError', '--raw-rate must be a positive sample rate in Hz');
  return {
    datatype: o.rawDatatype as RawParams['datatype'],
    sampleRateHz,
    centerFrequencyHz: o.rawFrequency ? Number(o.rawFrequency) : undefined,
    captureTime: o.rawTime,
  };
}

export function textLine(line: SceneLine): string {
  const e95 = line.ellipses.find((e) => e.p === 0.95);
  return (
    `${line.scene}  ${line.lat.toFixed(4)}, ${line.lon.toFixed(4)}  95%: ` +
    `${((e95?.semiMajorM ?? 0) / 1000).toFixed(1)} x ${((e95?.semiMinorM ?? 0) / 1000).toFixed(1)} km ` +
    `@ ${e95?.azimuthDeg.toFixed(0)} deg  (model ${line.model})`
  );
}

export interface LocateSummary {
  /** Scenes located and printed. */
  located: number;
  /** Problems reported on stderr (files or scenes). */
  failures: number;
  /** Files read (paths given or found in folders). */
  files: number;
}

/**
 * Locates every complete scene among `inputs` (files, or folders walked for recordings) and
 * prints each as soon as its last recording has been read: files are read one at a time, each
 * closed before the next is opened, and a scene's files are opened again only while it is
 * located, so a batch of any size holds a few files open and prints from the first scene on.
 * Scenes that are not exactly the production model's network go, once every file is read, to the
 * any-network model when the registry has one (anyNetworkLocate.ts). Every problem is printed on stderr when found, naming its file; nothing stops the batch.
 */
export async function locateBatch(
  inputs: readonly string[],
  o: LocateOptions,
): Promise<LocateSummary> {
  const summary: LocateSummary = { located: 0, failures: 0, files: 0 };
  const report = (err: unknown) => {
    summary.failures++;
    const e = err as Error;
    const text = isHeimdallError(e) ? `error (${e.name}): ${e.message}` : `error: ${e.message}`;
    console.error(printable(text));
  };
  const raw = rawParams(o);
  const models = await locateModels(o.registry, o.model);
  const { stations, problems } = await loadStationFileKeepingOthers(o.stations);
  problems.forEach(report);
  const print = (line: SceneLine) => {
    console.log(o.json ? JSON.stringify(line) : printable(textLine(line)));
    summary.located++;
  };
  // Recordings the fixed network cannot use wait for the any-network model, located at the end.
  const others: RecordingRef[] = [];
  const fixed = models.fixed;
  const assembler = fixed ? new SceneAssembler<RecordingRef>(fixed.constellation) : null;
  const onRecording = async (ref: RecordingRef) => {
    if (!assembler || !fixed) return void others.push(ref);
    const { scene, error } = assembler.add(ref);
    if (error?.name === 'ReceiverUnknownError' && models.network) others.push(ref);
    else if (error) report(error);
    if (scene) {
      try {
        print(sceneLine(await fixed.locate(scene)));
      } catch (err) {
        report(err);
      }
    }
  };
  summary.files = await scanInputs(inputs, raw, onRecording, report);
  for (const scene of assembler?.finish() ?? []) {
    const present = scene.byReceiver.filter((r) => r !== null);
    if (models.network) {
      others.push(...present);
      continue;
    }
    report(
      new HeimdallError(
        'SceneIncompleteError',
        `scene ${scene.id} lacks receiver(s) ${scene.missing.map((m) => m.id).join(', ')}; has ${present.map((r) => r.info.name).join(', ')}`,
      ),
    );
  }
  // Not a failure: what the operator should know about a located scene.
  const note = (text: string) => console.error(printable(`note: ${text}`));
  if (others.length) await locateGrouped(others, models, stations, print, report, note);
  if (summary.files === 0) {
    report(new HeimdallError('ConfigError', 'no recording was found in the paths given'));
  }
  return summary;
}

/** Locates as `locateBatch` does; returns the number of problems (files or scenes). */
export async function locate(inputs: readonly string[], o: LocateOptions): Promise<number> {
  return (await locateBatch(inputs, o)).failures;
}

/** The closing line on stderr when something went wrong: how many problems, how many scenes. */
export function summaryLine({ located, failures }: LocateSummary): string {
  const scenes =
    located === 0
      ? 'no scene was located'
      : `the other ${located} scene${located === 1 ? ' was' : 's were'} located`;
  return `${failures} problem(s); ${scenes}`;
}

export function registerLocateCommand(program: Command): void {
  program
    .command('locate')
    .description(
      'locate the transmitter of each scene (recordings grouped by capture time, one per receiver)',
    )
    .argument(
      '<paths...>',
      'recordings (SigMF .sigmf-meta/.sigmf-data, either file of a pair, or a .sigmf archive; ' +
        'KiwiSDR/auxi WAV; raw cu8/cs16/cf32) or folders of them, walked recursively',
    )
    .option(
      '--model <version>',
      'pin one model version (default: per scene, the production model when the scene is exactly its network, else the any-network model)',
    )
    .option(
      '--stations <file>',
      'station list JSON {"stations": [{"id", "lat", "lon"}]} placing recordings by station id',
    )
    .option('--registry <path>', 'model registry file', DEFAULT_REGISTRY_PATH)
    .option('--json', 'one JSON object per scene and line')
    .option('--raw-datatype <type>', 'for headerless files: cu8, cs16 or cf32')
    .option('--raw-rate <hz>', 'for headerless files: complex sample rate')
    .option('--raw-frequency <hz>', 'for headerless files: centre frequency')
    .option('--raw-time <iso>', 'for headerless files: capture time (ISO 8601 UTC)')
    .action(async (paths: string[], opts: LocateOptions) => {
      const summary = await locateBatch(paths, opts);
      if (summary.failures > 0) {
        console.error(summaryLine(summary));
        process.exitCode = 1;
      }
    });
}
