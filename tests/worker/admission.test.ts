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

  it('admits a waiting high-priority request ahead of the waiting normal ones', async () => {
    const admission = new Admission(() => 1);
    const started: string[] = [];
    const task = (name: string, priority?: 'normal' | 'high') =>
      admission.run(async () => {
        started.push(name);
        await new Promise((r) => setTimeout(r, 2));
      }, priority);
    const all = [
      task('n0'),
      task('n1'),
      task('n2'),
      task('h0', 'high'),
      task('n3'),
      task('h1', 'high'),
    ];
    expect(admission.queued).toBe(5);
    await Promise.all(all);
    // n0 was already running; then the high ones in their order, then the normal ones in theirs.
    expect(started).toEqual(['n0', 'h0', 'h1', 'n1', 'n2', 'n3']);
  });
});
