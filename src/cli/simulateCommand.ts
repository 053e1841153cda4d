import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { HeimdallError } from '../core/errors';
import { PHYSICS_PRESETS, type PhysicsPreset } from '../core/sim/physics';
import { simulateScene } from '../core/sim/scene';
import { sceneToSigmf } from '../core/sim/sigmfWriter';
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
