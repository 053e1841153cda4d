import { basename } from 'node:path';
import type { Command } from 'commander';
import { HeimdallError, isHeimdallError } from '../core/errors';
import { groupIntoScenes } from '../core/grouping';
import { openRecordings } from '../core/readers/open';
import { nodeFileSource } from '../core/readers/nodeFileSource';
import type { ByteSource } from '../core/readers/byteSource';
import type { RawParams } from '../core/readers/types';
import { SceneFeaturizer } from '../core/sceneFeatures';
import { readModelWindow } from '../core/sceneInput';
import { DEFAULT_REGISTRY, loadNodeModel, resolveVersionDir } from '../node/nodeModel';

interface LocateOptions {
  model?: string;
  registry: string;
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

const fmt = (x: number, digits: number) => Number(x.toFixed(digits));

/** Locates every complete scene in `files`; returns the number of failures (files or scenes). */
export async function locate(files: string[], o: LocateOptions): Promise<number> {
  let failures = 0;
  const report = (err: unknown) => {
    failures++;
    const e = err as Error;
    console.error(isHeimdallError(e) ? `error (${e.name}): ${e.message}` : `error: ${e.message}`);
  };
  const model = await loadNodeModel(await resolveVersionDir(o.registry, o.model));
  const { metadata } = model;
  const featurizer = new SceneFeaturizer(metadata.preprocessing);

  const sources: (ByteSource & { close(): Promise<void> })[] = [];
  for (const f of files) {
    try {
      sources.push(await nodeFileSource(f));
    } catch (err) {
      report(
        isHeimdallError(err)
          ? err
          : new HeimdallError(
              'CorruptFileError',
              `cannot be opened (${(err as Error).message})`,
              f,
            ),
      );
    }
  }
  try {
    const opened = await openRecordings(sources, rawParams(o));
    opened.errors.forEach((e) => report(e.error));
    const grouped = groupIntoScenes(opened.recordings, metadata.constellation);
    grouped.errors.forEach((e) => report(e.error));
    for (const scene of grouped.scenes) {
      const present = scene.byReceiver.filter((r) => r !== null);
      if (scene.missing.length) {
        report(
          new HeimdallError(
            'SceneIncompleteError',
            `scene ${scene.id} lacks receiver(s) ${scene.missing.map((m) => m.id).join(', ')}; has ${present.map((r) => basename(r.info.name)).join(', ')}`,
          ),
        );
        continue;
      }
      try {
        const windows = await Promise.all(
          present.map((r) => readModelWindow(r, metadata.preprocessing)),
        );
        const { estimates } = await model.predict(featurizer.modelInput(windows), 1);
        const est = estimates[0];
        const line = {
          scene: scene.id,
          lat: fmt(est.lat, 6),
          lon: fmt(est.lon, 6),
          model: metadata.version,
          receivers: metadata.constellation.receivers.map((r) => r.id),
          files: present.map((r) => basename(r.info.name)),
          ellipses: est.ellipses.map((e) => ({
            p: e.p,
            semiMajorM: fmt(e.semiMajorM, 1),
            semiMinorM: fmt(e.semiMinorM, 1),
            azimuthDeg: fmt(e.azimuthDeg, 2),
          })),
        };
        if (o.json) console.log(JSON.stringify(line));
        else {
          const e95 = line.ellipses.find((e) => e.p === 0.95);
          console.log(
            `${scene.id}  ${line.lat.toFixed(4)}, ${line.lon.toFixed(4)}  95%: ${((e95?.semiMajorM ?? 0) / 1000).toFixed(1)} x ${((e95?.semiMinorM ?? 0) / 1000).toFixed(1)} km @ ${e95?.azimuthDeg.toFixed(0)} deg  (model ${metadata.version})`,
          );
        }
      } catch (err) {
        report(err);
      }
    }
  } finally {
    await Promise.all(sources.map((s) => s.close()));
  }
  return failures;
}

export function registerLocateCommand(program: Command): void {
  program
    .command('locate')
    .description(
      'locate the transmitter of each scene (recordings grouped by capture time, one per receiver)',
    )
    .argument(
      '<files...>',
      'recordings: SigMF (.sigmf-meta/.sigmf-data or .sigmf), KiwiSDR/auxi WAV, raw cu8/cs16/cf32',
    )
    .option('--model <version>', 'model version (default: the registry production version)')
    .option('--registry <path>', 'model registry file', DEFAULT_REGISTRY)
    .option('--json', 'one JSON object per scene and line')
    .option('--raw-datatype <type>', 'for headerless files: cu8, cs16 or cf32')
    .option('--raw-rate <hz>', 'for headerless files: complex sample rate')
    .option('--raw-frequency <hz>', 'for headerless files: centre frequency')
    .option('--raw-time <iso>', 'for headerless files: capture time (ISO 8601 UTC)')
    .action(async (files: string[], opts: LocateOptions) => {
      const failures = await locate(files, opts);
      if (failures > 0) {
        console.error(`${failures} problem(s); the other scenes were located`);
        process.exitCode = 1;
      }
    });
}
