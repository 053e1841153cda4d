import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuietGate } from '../../workers/quietGate';

/** A gate on Vitest's fake clock; `opened` lists when (fake ms) each waiter was let go. */
function setUp(quietMs = 1000, maxWaitMs = 8000) {
  const gate = new QuietGate(quietMs, maxWaitMs, () => Date.now());
  const opened: number[] = [];
  const wait = () => void gate.whenQuiet().then(() => opened.push(Date.now()));
  return { gate, opened, wait };
}

/** A call of the page that takes `ms` on the fake clock. */
const call = (gate: QuietGate, ms: number) =>
  gate.track(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));

describe('QuietGate', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('opens quietMs after the last call ended, not while one is in flight', async () => {
    const { gate, opened, wait } = setUp();
    void call(gate, 3000); // in flight from 0 to 3000
    wait();
    await vi.advanceTimersByTimeAsync(3500);
    expect(opened).toEqual([]);
    void call(gate, 200); // 3500 to 3700: the quiet starts again from its end
    await vi.advanceTimersByTimeAsync(1100); // 4600
    expect(opened).toEqual([]);
    await vi.advanceTimersByTimeAsync(200); // 4800 > 3700 + 1000
    expect(opened).toHaveLength(1);
    expect(opened[0]).toBeGreaterThanOrEqual(4700);
  });

  it('lets a waiter go at once when the page has been quiet long enough', async () => {
    const { opened, wait } = setUp();
    await vi.advanceTimersByTimeAsync(1500);
    wait();
    await vi.advanceTimersByTimeAsync(0);
    expect(opened).toEqual([1500]);
  });

  it('opens on hurry(), and at maxWaitMs under steady traffic', async () => {
    const first = setUp();
    void call(first.gate, 60_000);
    first.wait();
    await vi.advanceTimersByTimeAsync(100);
    first.gate.hurry();
    await vi.advanceTimersByTimeAsync(0);
    expect(first.opened).toEqual([100]);

    const steady = setUp(1000, 5000);
    steady.wait(); // asked at 100
    void (async () => {
      for (let i = 0; i < 20; i++) await call(steady.gate, 500); // one after another: never quiet
    })();
    await vi.advanceTimersByTimeAsync(4800);
    expect(steady.opened).toEqual([]);
    await vi.advanceTimersByTimeAsync(400);
    expect(steady.opened).toEqual([5100]);
  });

  it('passes results and errors of the calls through', async () => {
    const { gate } = setUp();
    await expect(gate.track(async () => 42)).resolves.toBe(42);
    await expect(
      gate.track(async () => {
        throw new Error('bad file');
      }),
    ).rejects.toThrow('bad file');
  });
});
