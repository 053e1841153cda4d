/**
 * Checks an exported any-network model in onnxruntime-node against PyTorch's own output
 * (parity.json written by train_network.py), and that padding is inert: a scene of 3 receivers
 * gives the same estimate alone and padded to 12 with mask 0, and reordering receivers changes
 * nothing. Exits 1 on a mismatch.
 *
 *   tsx training/checkNetworkOnnx.ts training/runs/2.0.0
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

const dir = process.argv[2];
if (!dir) throw new Error('usage: checkNetworkOnnx.ts RUN_DIR');
const ref = JSON.parse(readFileSync(join(dir, 'parity.json'), 'utf8')) as Record<string, number[]>;
const session = await ort.InferenceSession.create(join(dir, 'model.onnx'), {
  intraOpNumThreads: 1,
  executionProviders: ['cpu'],
});
const nMels = 128;
const nFrames = 32;
const per = nMels * nFrames;

async function run(
  logmel: Float32Array,
  pos: Float32Array,
  mask: Float32Array,
  b: number,
  r: number,
) {
  const out = await session.run({
    logmel: new ort.Tensor('float32', logmel, [b, r, nMels, nFrames]),
    positionKm: new ort.Tensor('float32', pos, [b, r, 2]),
    mask: new ort.Tensor('float32', mask, [b, r]),
  });
  return out.estimate.data as Float32Array;
}

const failures: string[] = [];
const close = (a: number, b: number, what: string) => {
  if (Math.abs(a - b) > 1e-3 * Math.max(1, Math.abs(b))) failures.push(`${what}: ${a} vs ${b}`);
};

const r0 = ref.mask.length / 2;
const got = await run(
  Float32Array.from(ref.logmel),
  Float32Array.from(ref.positionKm),
  Float32Array.from(ref.mask),
  2,
  r0,
);
got.forEach((v, i) => close(v, ref.estimate[i], `torch parity [${i}]`));

// Scene 1 of the reference uses its first three receivers: alone, padded to 12, reversed.
const three = Float32Array.from(ref.logmel.slice(r0 * per, r0 * per + 3 * per));
const threePos = Float32Array.from(ref.positionKm.slice(r0 * 2, r0 * 2 + 6));
const alone = await run(three, threePos, Float32Array.from([1, 1, 1]), 1, 3);
alone.forEach((v, i) => close(v, ref.estimate[5 + i], `3 receivers alone vs torch [${i}]`));
const padded = new Float32Array(12 * per);
padded.set(three);
padded.fill(-3, 3 * per); // padding content must not matter
const paddedPos = new Float32Array(24);
paddedPos.set(threePos);
paddedPos.fill(500, 6);
const mask12 = new Float32Array(12).fill(1, 0, 3);
const pad = await run(padded, paddedPos, mask12, 1, 12);
pad.forEach((v, i) => close(v, alone[i], `padded to 12 [${i}]`));
const rev = new Float32Array(3 * per);
const revPos = new Float32Array(6);
for (let k = 0; k < 3; k++) {
  rev.set(three.subarray((2 - k) * per, (3 - k) * per), k * per);
  revPos.set(threePos.subarray(2 * (2 - k), 2 * (3 - k)), 2 * k);
}
const reversed = await run(rev, revPos, Float32Array.from([1, 1, 1]), 1, 3);
reversed.forEach((v, i) => close(v, alone[i], `receivers reversed [${i}]`));

console.log(
  `torch: ${Array.from(ref.estimate.slice(0, 5))
    .map((v) => v.toFixed(2))
    .join(', ')}`,
);
console.log(
  `ort:   ${Array.from(got.slice(0, 5))
    .map((v) => v.toFixed(2))
    .join(', ')}`,
);
console.log(
  failures.length
    ? `FAILED:\n${failures.join('\n')}`
    : 'onnxruntime-node matches PyTorch; padding and order are inert',
);
if (failures.length) process.exit(1);
