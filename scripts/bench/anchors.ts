/**
 * The anchors `npm run bench` sets each browser figure against, measured in the same run:
 * onnxruntime-node (1 thread, the command line's path) on the same model and scenes, and numpy's
 * log-mel with the same parameters (Debian's /usr/bin/python3; reported absent without numpy).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { percentile } from '../../e2e/support/enginePage';
import type { NodeReference } from '../../e2e/support/nodeReference';
import type { TestScene } from '../../e2e/support/scenes';
import type { Preprocessing } from '../../src/core/modelMetadata';
import { SceneFeaturizer } from '../../src/core/sceneFeatures';

const PYTHON = process.env.HEIMDALL_PYTHON ?? '/usr/bin/python3';

/** onnxruntime-node inference on one scene at a time, ms (p50, p95). */
export async function nodeInference(
  ref: NodeReference,
  scenes: TestScene[],
  rounds = 6,
): Promise<{ p50: number; p95: number }> {
  const featurizer = new SceneFeaturizer(ref.model.metadata.preprocessing);
  const inputs = scenes.map((s) => featurizer.modelInput(s.iq));
  for (const x of inputs) await ref.model.predict(x, 1); // warm-up
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const x of inputs) {
      const t0 = performance.now();
      await ref.model.predict(x, 1);
      ms.push(performance.now() - t0);
    }
  }
  return { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95) };
}

export type NumpyAnchor = { msPerScene: number; numpy: string } | { absent: string };

/** numpy's log-mel per 3-receiver scene; { absent } when Python or numpy is missing. */
export async function numpyLogMel(preprocessing: Preprocessing): Promise<NumpyAnchor> {
  const dir = await mkdtemp(join(tmpdir(), 'heimdall-bench-'));
  try {
    const params = join(dir, 'preprocessing.json');
    await writeFile(params, JSON.stringify(preprocessing));
    const { stdout } = await promisify(execFile)(PYTHON, [
      'scripts/bench/numpy_logmel.py',
      params,
      '200',
    ]);
    return JSON.parse(stdout) as NumpyAnchor;
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string };
    if (e.code === 3) return { absent: 'numpy absent' };
    if (e.code === 'ENOENT') return { absent: `${PYTHON} absent` };
    return { absent: `numpy anchor failed: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
