import { HeimdallError } from '../src/core/errors';
import { nextTask } from './nextTask';
import { runSession, type Ort, type OrtSession } from './ort';

export interface RunOutput {
  /** This scene's output row. */
  row: Float32Array;
  /** Wall time of the session.run that computed it (shared by the scenes batched with it). */
  inferenceMs: number;
  batchSize: number;
}

interface Pending {
  features: Float32Array;
  resolve: (out: RunOutput) => void;
  reject: (err: Error) => void;
}

/**
 * Serialises session.run calls on one session and batches the requests that queue up meanwhile.
 * One run at a time, because the WebGPU provider does not support overlapping runs on a session;
 * batching, because under load one run of n scenes costs far less than n runs, and the model's
 * batch axis is dynamic (scripts/bench-batch-size.ts; outputs are bit-identical either way,
 * tests/worker/parity.test.ts).
 *
 * A run starts on the next task, not at once. With the WASM provider a request goes from its
 * message to the end of its session.run without giving the event loop a turn (every stage
 * resolves in microtasks), so requests sent together used to reach an idle runner one at a time
 * and every batch held one scene (`npm run bench`, 100 concurrent: batch size p99 1). Waiting for
 * the next task lets the requests whose messages are already queued reach the runner first. A
 * lone request paid that hop too: p50 under 0.1 ms at load 9-10 in `npx tsx
 * scripts/bench-task-hop.ts`, but 0.7 ms of its 2.3-2.6 ms inference stage in the page at load
 * 12-14 (`npx tsx scripts/bench-warm.ts`, inference stage against session.run). So a request
 * whose caller has nothing else outstanding (PredictOptions.alone, set by the bridge) starts at
 * once when the runner is idle; requests sent together still meet on the next task.
 */
export class BatchingRunner {
  private queue: Pending[] = [];
  /** A run is in progress or scheduled for the next task. */
  private running = false;
  private readonly sceneValues: number;

  constructor(
    private readonly session: OrtSession,
    /** The runtime that created the session (its Tensor class). */
    private readonly ort: Ort,
    private readonly io: {
      inputName: string;
      outputName: string;
      outputColumns: number;
      sceneDims: [number, number, number];
    },
    private readonly maxBatch: () => number,
    /** After each run: its scenes, and the wall time of its session.run. */
    private readonly onBatch: (size: number, runMs: number) => void,
    private readonly label: string,
  ) {
    this.sceneValues = io.sceneDims[0] * io.sceneDims[1] * io.sceneDims[2];
  }

  /**
   * `alone`: the caller knows of no request that could join this one (PredictOptions.alone), so
   * an idle runner starts at once instead of on the next task.
   */
  run(features: Float32Array, alone = false): Promise<RunOutput> {
    if (features.length !== this.sceneValues) {
      return Promise.reject(
        new HeimdallError(
          'InferenceError',
          `${this.label}: features hold ${features.length} values, the model takes ${this.sceneValues}`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ features, resolve, reject });
      if (alone && !this.running && this.queue.length === 1) {
        this.running = true;
        void this.drain();
      } else this.scheduleDrain();
    });
  }

  /**
   * One run of `batch` zero scenes, only if no request is running or waiting (a request that
   * arrives meanwhile waits for this one run). Returns whether it ran. Results are discarded and
   * never counted in the metrics. See tierUpInBackground in prepareModel.ts for why.
   */
  async warmOnce(batch: number): Promise<boolean> {
    if (this.running || this.queue.length > 0) return false;
    this.running = true;
    try {
      const zeros = new Float32Array(batch * this.sceneValues);
      const tensor = new this.ort.Tensor('float32', zeros, [batch, ...this.io.sceneDims]);
      const out = await runSession(this.session, { [this.io.inputName]: tensor });
      tensor.dispose();
      for (const t of Object.values(out)) t.dispose();
      return true;
    } finally {
      this.running = false;
      this.scheduleDrain();
    }
  }

  private scheduleDrain(): void {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    nextTask(() => void this.drain());
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch());
      try {
        const outputs = await this.runBatch(batch.map((p) => p.features));
        batch.forEach((p, i) => p.resolve(outputs[i]));
      } catch (err) {
        const error =
          err instanceof HeimdallError
            ? err
            : new HeimdallError('InferenceError', `${this.label}: ${(err as Error).message}`);
        batch.forEach((p) => p.reject(error));
      }
    }
    this.running = false;
  }

  private async runBatch(scenes: Float32Array[]): Promise<RunOutput[]> {
    const n = scenes.length;
    const input = n === 1 ? scenes[0] : new Float32Array(n * this.sceneValues);
    if (n > 1) scenes.forEach((s, i) => input.set(s, i * this.sceneValues));
    const tensor = new this.ort.Tensor('float32', input, [n, ...this.io.sceneDims]);
    const t0 = performance.now();
    const results = await runSession(this.session, { [this.io.inputName]: tensor });
    const inferenceMs = performance.now() - t0;
    tensor.dispose();
    const out = results[this.io.outputName];
    if (!out)
      throw new HeimdallError(
        'InferenceError',
        `${this.label}: the model gave no output '${this.io.outputName}'`,
      );
    const cols = this.io.outputColumns;
    if (out.dims.length !== 2 || out.dims[0] !== n || out.dims[1] !== cols) {
      throw new HeimdallError(
        'InferenceError',
        `${this.label}: output dims [${out.dims.join(', ')}], expected [${n}, ${cols}]`,
      );
    }
    // getData() downloads GPU-resident outputs too; copy rows so no view outlives the tensor.
    const data = (await out.getData(true)) as Float32Array;
    this.onBatch(n, inferenceMs);
    return scenes.map((_, i) => ({
      row: data.slice(i * cols, (i + 1) * cols),
      inferenceMs,
      batchSize: n,
    }));
  }
}
