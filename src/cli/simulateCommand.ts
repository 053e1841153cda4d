import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { HeimdallError } from '../core/errors';
import { PHYSICS_PRESETS, type PhysicsPreset } from '../core/sim/physics';
import { simulateScene } from '../core/sim/scene';
import { sceneToSigmf } from '../core/sim/sigmfWriter';
import { DEFAULT_NETWORK } from '../core/sim/tdoa/geometry';
import { DEFAULT_IMPAIRMENTS, NO_IMPAIRMENTS } from '../core/sim/tdoa/impairments';
import {
  DEFAULT_SCENE_OPTIONS,
  simulateTdoaScene,
  type TdoaSceneOptions,
} from '../core/sim/tdoa/scene';
import { TDOA_SIGNAL_KINDS, type TdoaSignalKind } from '../core/sim/tdoa/waveforms';
import { writeSceneFiles } from '../node/writeScene';
import { trainingConfig } from '../../training/loadConfig';

export interface SimulateOptions {
  scenes: number;
  seed: number;
  out: string;
  physics: PhysicsPreset;
  durationS: number;
}

/** Writes `scenes` simulated scenes as SigMF pairs (one per receiver) into `out`. */
export async function simulateToDirectory(o: SimulateOptions): Promise<string[]> {
  const { constellation, preprocessing } = trainingConfig();
  await mkdir(o.out, { recursive: true });
  const written: string[] = [];
  for (let i = 0; i < o.scenes; i++) {
    const scene = simulateScene(o.seed, i, {
      constellation,
      physics: PHYSICS_PRESETS[o.physics],
      sampleRateHz: preprocessing.sampleRateHz,
      samples: Math.round(o.durationS * preprocessing.sampleRateHz),
    });
    for (const pair of sceneToSigmf(scene, constellation)) {
      await writeFile(join(o.out, `${pair.baseName}.sigmf-meta`), pair.meta);
      await writeFile(join(o.out, `${pair.baseName}.sigmf-data`), pair.data);
      written.push(pair.baseName);
    }
  }
  return written;
}

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new HeimdallError('ConfigError', `--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      'write simulated scenes (one SigMF recording per receiver, truth in an annotation)',
    )
    .requiredOption('--scenes <n>', 'number of scenes')
    .requiredOption('--out <dir>', 'output folder')
    .option('--seed <s>', 'random seed (scenes are deterministic in seed and index)', '1')
    .option(
      '--physics <preset>',
      `physics ranges: ${Object.keys(PHYSICS_PRESETS).join(', ')}`,
      'nominal',
    )
    .option('--duration <seconds>', 'recording length', '1')
    .action(
      async (opts: {
        scenes: string;
        out: string;
        seed: string;
        physics: string;
        duration: string;
      }) => {
        if (!(opts.physics in PHYSICS_PRESETS)) {
          throw new HeimdallError(
            'ConfigError',
            `--physics must be one of ${Object.keys(PHYSICS_PRESETS).join(', ')}`,
          );
        }
        const durationS = Number(opts.duration);
        if (!(durationS > 0 && durationS <= 60))
          throw new HeimdallError('ConfigError', '--duration must be in (0, 60] seconds');
        const files = await simulateToDirectory({
          scenes: positiveInt('scenes', opts.scenes),
          seed: positiveInt('seed', opts.seed),
          out: opts.out,
          physics: opts.physics as PhysicsPreset,
          durationS,
        });
        console.error(
          `wrote ${files.length} recordings (${files.length / 3} scenes) to ${opts.out}`,
        );
      },
    );
}

export interface SimulateTdoaOptions {
  scenes: number;
  seed: number;
  out: string;
  scene: Partial<TdoaSceneOptions>;
}

/** Writes `scenes` TDoA scenes, each in its own folder: recordings, stations.json, truth.json. */
export async function simulateTdoaToDirectory(
  o: SimulateTdoaOptions,
): Promise<{ dir: string; recordings: string[] }[]> {
  const written: { dir: string; recordings: string[] }[] = [];
  for (let i = 0; i < o.scenes; i++) {
    const scene = simulateTdoaScene(o.seed, i, o.scene);
    const dir = join(o.out, scene.id);
    const { recordings } = await writeSceneFiles(scene, dir);
    written.push({ dir, recordings });
  }
  return written;
}

function parseRange(name: string, v: string): { lo: number; hi: number } {
  const m = /^(-?\d+(?:\.\d+)?)(?::(-?\d+(?:\.\d+)?))?$/.exec(v.trim());
  const lo = m ? Number(m[1]) : NaN;
  const hi = m?.[2] !== undefined ? Number(m[2]) : lo;
  if (!(lo <= hi))
    throw new HeimdallError('ConfigError', `--${name} must be a number or LO:HI, got "${v}"`);
  return { lo, hi };
}

const FORMAT_SHARES: Record<string, { kiwi: number; sigmf: number }> = {
  kiwi: { kiwi: 1, sigmf: 0 },
  sigmf: { kiwi: 0, sigmf: 1 },
  mixed: { kiwi: 0, sigmf: 0 },
  any: DEFAULT_SCENE_OPTIONS.formatShares,
};

/** The `simulate-tdoa` options, checked, as scene options. */
export function tdoaSceneOptions(opts: {
  stations: string;
  duration: string;
  kind: string;
  snr: string;
  format: string;
  clean?: boolean;
}): Partial<TdoaSceneOptions> {
  const count = parseRange('stations', opts.stations.replace('-', ':'));
  if (!(
    Number.isInteger(count.lo) &&
    Number.isInteger(count.hi) &&
    count.lo >= 3 &&
    count.hi <= 20
  ))
    throw new HeimdallError('ConfigError', '--stations must be N or MIN-MAX with 3 <= N <= 20');
  const durationS = Number(opts.duration);
  if (!(durationS >= 3 && durationS <= 120))
    throw new HeimdallError('ConfigError', '--duration must be in [3, 120] seconds');
  const kinds: readonly TdoaSignalKind[] =
    opts.kind === 'any'
      ? TDOA_SIGNAL_KINDS
      : (TDOA_SIGNAL_KINDS as readonly string[]).includes(opts.kind)
        ? [opts.kind as TdoaSignalKind]
        : [];
  if (kinds.length === 0)
    throw new HeimdallError('ConfigError', `--kind must be any, ${TDOA_SIGNAL_KINDS.join(', ')}`);
  const formatShares = FORMAT_SHARES[opts.format];
  if (!formatShares)
    throw new HeimdallError('ConfigError', '--format must be kiwi, sigmf, mixed or any');
  return {
    network: { ...DEFAULT_NETWORK, stationCount: { min: count.lo, max: count.hi } },
    durationS,
    kinds,
    snrDb: parseRange('snr', opts.snr),
    formatShares,
    impairments: opts.clean ? NO_IMPAIRMENTS : DEFAULT_IMPAIRMENTS,
  };
}

export function registerSimulateTdoaCommand(program: Command): void {
  program
    .command('simulate-tdoa')
    .description(
      'write simulated TDoA scenes: per scene a folder with GPS-stamped KiwiSDR IQ WAVs and/or ' +
        'SigMF recordings, stations.json (for heimdall tdoa --stations) and truth.json',
    )
    .requiredOption('--scenes <n>', 'number of scenes')
    .requiredOption('--out <dir>', 'output folder')
    .option('--seed <s>', 'random seed (scenes are deterministic in seed and index)', '1')
    .option('--stations <n>', 'receivers per scene, N or MIN-MAX', '3-8')
    .option('--duration <seconds>', 'recording length', '20')
    .option('--kind <kind>', `signal: any, ${TDOA_SIGNAL_KINDS.join(', ')}`, 'any')
    .option('--snr <dB>', 'scene SNR in the signal band, dB, or LO:HI', '-3:30')
    .option('--format <f>', 'kiwi, sigmf, mixed (both in one scene) or any', 'any')
    .option('--clean', 'no impairments (no multipath, clock errors, gaps or bad stamps)')
    .action(
      async (opts: {
        scenes: string;
        out: string;
        seed: string;
        stations: string;
        duration: string;
        kind: string;
        snr: string;
        format: string;
        clean?: boolean;
      }) => {
        const written = await simulateTdoaToDirectory({
          scenes: positiveInt('scenes', opts.scenes),
          seed: positiveInt('seed', opts.seed),
          out: opts.out,
          scene: tdoaSceneOptions(opts),
        });
        console.error(`wrote ${written.length} TDoA scenes to ${opts.out}`);
        const first = written[0];
        if (first) {
          const globs = [
            ...(first.recordings.some((f) => f.endsWith('.wav')) ? [`${first.dir}/*_iq.wav`] : []),
            ...(first.recordings.some((f) => f.includes('.sigmf-'))
              ? [`${first.dir}/*.sigmf-*`]
              : []),
          ];
          console.error(
            `try: npx heimdall tdoa ${globs.join(' ')} --stations ${first.dir}/stations.json` +
              ` (the answer is in ${first.dir}/truth.json)`,
          );
        }
      },
    );
}
