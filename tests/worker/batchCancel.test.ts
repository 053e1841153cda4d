/**
 * Cancelling requests that wait in the worker's admission queue: they leave the queue at once
 * instead of waiting for their turn (behind a long queue on a busy machine that kept cancelled
 * scenes "running" in the UI for tens of seconds).
 */
import { describe, expect, it } from 'vitest';
import { Admission } from '../../workers/admission';
import { CancelToken } from '../../workers/requests';

/** A task that runs until released, so the queue behind it stays put. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('cancelling queued requests', () => {
  it('a cancelled waiter leaves the queue at once, without running, and the order holds', async () => {
    const admission = new Admission(() => 1);
    const blocker = gate();
    const started: string[] = [];
    const first = admission.run(async () => {
      started.push('first');
      await blocker.opened;
    });
    const token = new CancelToken('queued-1');
    const cancelled = admission.run(async () => void started.push('cancelled'), 'normal', token);
    const after = admission.run(async () => void started.push('after'));
    expect(admission.queued).toBe(2);
    token.cancel();
    await expect(cancelled).rejects.toMatchObject({
      name: 'CancelledError',
      message: expect.stringContaining('queued-1'),
    });
    // Rejected while the first task still holds the only slot.
    expect(admission.queued).toBe(1);
    expect(started).toEqual(['first']);
    blocker.open();
    await Promise.all([first, after]);
    expect(started).toEqual(['first', 'after']);
    expect(admission.queued).toBe(0);
  });

  it("cancelling a batch's parent token frees all of its queued children", async () => {
    const admission = new Admission(() => 1);
    const blocker = gate();
    const running = admission.run(() => blocker.opened);
    const parent = new CancelToken('batch');
    const children = Array.from({ length: 5 }, (_, i) =>
      admission.run(async () => i, 'normal', new CancelToken(`batch/${i}`, parent)),
    );
    expect(admission.queued).toBe(5);
    parent.cancel();
    const settled = await Promise.allSettled(children);
    expect(settled.map((s) => s.status)).toEqual(Array(5).fill('rejected'));
    expect(admission.queued).toBe(0);
    blocker.open();
    await running;
    // The slot is free again for the next comer.
    expect(await admission.run(async () => 'next')).toBe('next');
  });

  it('a token cancelled before it queues is refused at once; a listener fires once', () => {
    const token = new CancelToken('t');
    let calls = 0;
    token.onCancel(() => calls++);
    token.cancel();
    token.cancel();
    expect(calls).toBe(1);
    let late = 0;
    token.onCancel(() => late++);
    expect(late).toBe(1);
  });
});
