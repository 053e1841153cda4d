import { parseArgs } from 'node:util';
import { PHYSICS_PRESETS, type PhysicsPreset } from '../src/core/sim/physics';

/** The command line both dataset exporters take: --scenes N --seed S --physics P --out DIR [--shard i/k]. */
export function parseExportArgs() {
  const { values } = parseArgs({
    options: {
      scenes: { type: 'string' },
      seed: { type: 'string' },
      physics: { type: 'string', default: 'training' },
      out: { type: 'string' },
      shard: { type: 'string', default: '0/1' },
    },
  });
  if (!values.scenes || !values.seed || !values.out) {
    throw new Error(
      'usage: --scenes N --seed S --physics training|nominal|shifted --out DIR [--shard i/k]',
    );
  }
  const preset = values.physics as PhysicsPreset;
  if (!(preset in PHYSICS_PRESETS)) throw new Error(`unknown physics preset ${preset}`);
  const [shard, shards] = values.shard.split('/').map(Number);
  const scenes = Number(values.scenes);
  const indices: number[] = [];
  for (let i = shard; i < scenes; i += shards) indices.push(i);
  return { scenes, seed: Number(values.seed), preset, out: values.out, shard, shards, indices };
}
