/**
 * Runs an any-network model (issue 13) on one ORT session: each scene with its own number of
 * receivers, its inputs laid out by src/core/networkFeatures.ts (the code the Node loader and
 * training use) and its output decoded by src/core/networkDecode.ts. Runs are serialised, as the
 * WebGPU provider needs; scenes are not padded into shared batches, so a 3-receiver scene never
 * pays for a 12-receiver one queued beside it.
 */
import type { Estimate } from '../src/core/decode';
import { HeimdallError } from '../src/core/errors';
import { decodeNetworkBatch } from '../src/core/networkDecode';
import {
  MIN_NETWORK_RECEIVERS,
  networkGeometry,
  packNetworkBatch,
  type NetworkGeometry,
} from '../src/core/networkFeatures';
import type { NetworkModelMetadata } from '../src/core/networkModelMetadata';
import { runSession, type Ort, type OrtSession } from './ort';

type Source = NetworkModelMetadata['inputs'][number]['source'];

export class NetworkRunner {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly perReceiver: number;

  constructor(
    private readonly session: OrtSession,
    private readonly ort: Ort,
    private readonly metadata: NetworkModelMetadata,
    private readonly label: string,
  ) {
    this.perReceiver = metadata.preprocessing.nMels * metadata.preprocessing.nFrames;
  }

  /** The model input's name for a source (the schema checked that each source has one). */
  private inputName(source: Source): string {
    return this.metadata.inputs.find((i) => i.source === source)!.name;
  }

  /** One scene: its normalised log-mel (receivers, nMels, nFrames) and its receivers' geometry. */
  run(logmel: Float32Array, geometry: NetworkGeometry): Promise<Estimate> {
    const result = this.tail.then(() => this.runNow(logmel, geometry));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async runNow(logmel: Float32Array, geometry: NetworkGeometry): Promise<Estimate> {
    const { nMels, nFrames } = this.metadata.preprocessing;
    const batch = packNetworkBatch([{ logmel, geometry }], this.perReceiver);
    const r = batch.receivers;
    const { Tensor } = this.ort;
    const feeds = {
      [this.inputName('log-mel')]: new Tensor('float32', batch.logmel, [1, r, nMels, nFrames]),
      [this.inputName('receiver-east-north-of-centroid-km')]: new Tensor(
        'float32',
        batch.positionKm,
        [1, r, 2],
      ),
      [this.inputName('receiver-mask')]: new Tensor('float32', batch.mask, [1, r]),
    };
    let out;
    try {
      out = await runSession(this.session, feeds);
    } catch (err) {
      throw new HeimdallError('InferenceError', `${this.label}: ${(err as Error).message}`);
    } finally {
      for (const t of Object.values(feeds)) t.dispose();
    }
    const tensor = out[this.metadata.output.name];
    if (!tensor) {
      throw new HeimdallError(
        'InferenceError',
        `${this.label}: the model gave no output '${this.metadata.output.name}'`,
      );
    }
    const data = ((await tensor.getData(true)) as Float32Array).slice();
    for (const t of Object.values(out)) t.dispose();
    return decodeNetworkBatch(data, tensor.dims, this.metadata.output.layout, [
      geometry.centroid,
    ])[0];
  }
}

/**
 * The warm-up of an any-network session: one run of the smallest scene it serves, on zeros, at
 * two made-up receivers 50 km apart; checks the input and output names and the output's shape.
 */
export async function warmUpNetwork(
  session: OrtSession,
  ort: Ort,
  m: NetworkModelMetadata,
): Promise<void> {
  const names = m.inputs.map((i) => i.name);
  if (
    names.some((n) => !session.inputNames.includes(n)) ||
    !session.outputNames.includes(m.output.name)
  ) {
    throw new HeimdallError(
      'ModelLoadError',
      `the model's inputs/output are ${session.inputNames.join(', ')} / ${session.outputNames.join(', ')}, the metadata says ${names.join(', ')} / ${m.output.name}`,
    );
  }
  const receivers = Array.from({ length: MIN_NETWORK_RECEIVERS }, (_, i) => ({
    lat: 45,
    lon: 7 + 0.6 * i,
  }));
  const { nMels, nFrames } = m.preprocessing;
  const runner = new NetworkRunner(session, ort, m, `model ${m.version} warm-up`);
  try {
    await runner.run(
      new Float32Array(receivers.length * nMels * nFrames),
      networkGeometry(receivers),
    );
  } catch (err) {
    throw new HeimdallError('ModelLoadError', `warm-up failed: ${(err as Error).message}`);
  }
}
