import { describe, expect, it } from 'vitest';
import { Admission } from '../../workers/admission';

describe('Admission', () => {
  it('runs at most `limit` at once, in arrival order, and passes results and errors through', async () => {
    const admission = new Admission(() => 2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (i: number) =>
      admission.run(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        if (i === 3) throw new Error('task 3 failed');
        return i * 10;
      });
    const settled = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(task));
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(
      settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)),
    ).toEqual([0, 10, 20, 'task 3 failed', 40, 50]);
    expect(admission.queued).toBe(0);
  });
});
