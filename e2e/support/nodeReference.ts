/**
 * The command line's inference path (src/node/nodeModel.ts on onnxruntime-node, the same feature
 * code): the reference the browser worker's outputs must equal.
 */
import type { Estimate } from '../../src/core/decode';
import { SceneFeaturizer } from '../../src/core/sceneFeatures';
import { loadNodeModel, type NodeModel } from '../../src/node/nodeModel';

export interface NodeReference {
  model: NodeModel;
  predict(iq: Float32Array[]): Promise<{ raw: Float32Array; estimate: Estimate }>;
}

export async function nodeReference(versionDir: string): Promise<NodeReference> {
  const model = await loadNodeModel(versionDir);
  const featurizer = new SceneFeaturizer(model.metadata.preprocessing);
  return {
    model,
    async predict(iq) {
      const { raw, estimates } = await model.predict(featurizer.modelInput(iq), 1);
      return { raw, estimate: estimates[0] };
    },
  };
}

/** Largest difference between two estimates: degrees for lat/lon, relative for the metric sizes. */
export function estimateDifference(a: Estimate, b: Estimate): number {
  const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(1, Math.abs(y));
  const diffs = [
    Math.abs(a.lat - b.lat),
    Math.abs(a.lon - b.lon),
    rel(Math.sqrt(a.cov.ee), Math.sqrt(b.cov.ee)),
    rel(Math.sqrt(a.cov.nn), Math.sqrt(b.cov.nn)),
    Math.abs(a.cov.en / Math.sqrt(a.cov.ee * a.cov.nn) - b.cov.en / Math.sqrt(b.cov.ee * b.cov.nn)),
    ...a.ellipses.flatMap((e, i) => [
      rel(e.semiMajorM, b.ellipses[i].semiMajorM),
      rel(e.semiMinorM, b.ellipses[i].semiMinorM),
    ]),
  ];
  return Math.max(...diffs);
}
