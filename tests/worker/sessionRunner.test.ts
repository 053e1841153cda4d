import { describe, expect, it } from 'vitest';
import type { Ort, OrtSession } from '../../workers/ort';
import { BatchingRunner } from '../../workers/sessionRunner';

const SCENE = [1, 2, 2] as const;
const COLUMNS = 2;

/** A session double that records the batch size of each run and echoes each scene's first value. */
function doubles() {
  const runs: number[] = [];
  class Tensor {
    constructor(
      readonly type: string,
      readonly data: Float32Array,
      readonly dims: number[],
    ) {}
    dispose() {}
    getData() {
      return Promise.resolve(this.data);
    }
  }
  const session = {
    run(feeds: Record<string, Tensor>) {
      const x = feeds.x;
      const n = x.dims[0];
      runs.push(n);
      const y = new Float32Array(n * COLUMNS);
      for (let i = 0; i < n; i++) y[i * COLUMNS] = x.data[i * 4];
      return Promise.resolve({ y: new Tensor('float32', y, [n, COLUMNS]) });
    },
  };
  const runner = new BatchingRunner(
    session as unknown as OrtSession,
    { Tensor } as unknown as Ort,
    { inputName: 'x', outputName: 'y', outputColumns: COLUMNS, sceneDims: [...SCENE] },
    () => 8,
    () => undefined,
    'test model',
  );
  return { runs, runner };
}

const scene = (v: number) => new Float32Array(4).fill(v);
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('BatchingRunner', () => {
  it('starts a lone request at once, and others on the next task where requests sent together meet', async () => {
    const { runs, runner } = doubles();
    const lone = runner.run(scene(1), true);
    expect(runs).toEqual([1]); // before any task could pass
    expect((await lone).row[0]).toBe(1);

    const together = [runner.run(scene(2)), runner.run(scene(3)), runner.run(scene(4))];
    expect(runs).toEqual([1]); // nothing yet: waiting for the next task
    await nextTask();
    const rows = await Promise.all(together);
    expect(runs).toEqual([1, 3]);
    expect(rows.map((r) => r.row[0])).toEqual([2, 3, 4]);
  });

  it('queues a request marked alone behind a run already scheduled', async () => {
    const { runs, runner } = doubles();
    const first = runner.run(scene(5));
    const second = runner.run(scene(6), true);
    expect(runs).toEqual([]);
    await Promise.all([first, second]);
    expect(runs).toEqual([2]);
  });
});
