import { describe, expect, it } from 'vitest';
import { ClockOffset } from '../../src/core/live/clockOffset';
import { LivePipeline } from '../../src/core/live/livePipeline';
import type { WireFrame } from '../../src/core/live/wireFormat';

const FS = 12_000;
const FRAME = 1200; // 100 ms
const WINDOW = 2400; // 200 ms windows

/** Frame k of a relay receiver; sample n's I value encodes n so reads show what they got. */
function frame(receiverIndex: number, k: number, connectionIndex = 1): WireFrame {
  const iq = new Float32Array(2 * FRAME);
  for (let j = 0; j < FRAME; j++) iq[2 * j] = k * FRAME + j;
  return {
    receiverIndex,
    sequence: k + 1,
    connectionIndex,
    captureTimeMs: ((k * FRAME) / FS) * 1000,
    sampleRateHz: FS,
    centerFrequencyHz: 145e6,
    timeExact: true,
    adcOverload: false,
    iq,
  };
}

function pipeline(maxAgeMs?: number) {
  const p = new LivePipeline({
    receiverIds: ['a', 'b'],
    windowSamples: WINDOW,
    modelRateHz: FS,
    maxWaitMs: 300,
    ...(maxAgeMs !== undefined ? { maxAgeMs } : {}),
  });
  // The relay serves them in another order, plus one the model does not know.
  p.mapRelay(['b', 'x', 'a']);
  return p;
}

/** Frames 0..k-1 of the model's two receivers (relay indices 2 and 0). */
function feed(p: LivePipeline, from: number, to: number, relay = [2, 0]) {
  for (let k = from; k < to; k++) for (const r of relay) p.pushFrame(frame(r, k));
}

describe('LivePipeline', () => {
  it('maps relay receivers to model order and ignores unknown ones', () => {
    const p = pipeline();
    // A stream's first frame starts its first segment.
    expect(p.pushFrame(frame(2, 0))).toEqual({ index: 0, restarted: true });
    expect(p.pushFrame(frame(0, 0))).toEqual({ index: 1, restarted: true });
    expect(p.pushFrame(frame(0, 1))).toEqual({ index: 1, restarted: false });
    expect(p.pushFrame(frame(1, 0))).toBeUndefined();
    expect(p.pushFrame(frame(2, 2))).toEqual({ index: 0, restarted: true }); // frame 1 lost
    expect(p.framesReceived).toEqual([2, 2]);
    expect(p.restarts(0)).toBe(1);
  });

  it('cuts aligned windows, sends one at a time, and counts each outcome', () => {
    const p = pipeline();
    feed(p, 0, 2);
    const first = p.step(200, true)!;
    expect([first.startMs, first.endMs]).toEqual([0, 200]);
    expect(first.iq).toHaveLength(2);
    expect(first.iq[0][0]).toBe(0);
    expect(first.iq[1][2 * (WINDOW - 1)]).toBe(WINDOW - 1);
    // The second waits while the first is with the worker.
    feed(p, 2, 4);
    expect(p.step(400, true)).toBeUndefined();
    p.settle(first, 'squelched');
    const second = p.step(400, true)!;
    expect(second.startMs).toBe(200);
    p.settle(second, 'located');
    const { marks, counters } = p.ledger.take();
    expect(marks.map((m) => m.outcome)).toEqual(['squelched', 'located']);
    expect(counters).toMatchObject({ windows: 2, located: 1, squelched: 1 });
    expect(p.ledger.take().marks).toEqual([]);
  });

  it('drops the waiting window when a newer one comes, and one too old when its turn comes', () => {
    const p = pipeline(250);
    feed(p, 0, 2);
    const busy = p.step(200, true)!;
    feed(p, 2, 6); // windows 200-400 and 400-600: the first replaces nothing, the second it
    expect(p.step(600, true)).toBeUndefined();
    p.settle(busy, 'located');
    expect(p.step(900, true)).toBeUndefined(); // 400-600 waited past maxAgeMs
    const outcomes = p.ledger.take().marks.map((m) => [m.startMs, m.outcome]);
    expect(outcomes).toEqual([
      [200, 'dropped'],
      [0, 'located'],
      [400, 'dropped'],
    ]);
  });

  it('marks a window incomplete when a receiver is late beyond maxWaitMs; nothing before the model is ready', () => {
    const p = pipeline();
    feed(p, 0, 2); // 0-200 complete while the model loads: not located, not counted
    expect(p.step(200, false)).toBeUndefined();
    feed(p, 2, 4, [2]); // only 'a' has 200-400
    expect(p.step(400, true)).toBeUndefined(); // waits for 'b'
    expect(p.step(800, true)).toBeUndefined(); // gives up
    const { marks, counters } = p.ledger.take();
    expect(marks).toEqual([{ startMs: 200, outcome: 'incomplete', count: 1 }]);
    expect(counters.windows).toBe(1);
  });
});

describe('ClockOffset', () => {
  it('takes the largest recent server-minus-local sample (the least delayed message)', () => {
    const c = new ClockOffset(3);
    expect(c.offsetMs).toBe(0);
    c.note(1_000, 900);
    c.note(1_050, 1_000); // delayed 50 ms more
    expect(c.offsetMs).toBe(100);
    c.note(2_000, 1_990);
    c.note(2_000, 1_990);
    c.note(2_000, 1_990); // the 100 ms sample has aged out
    expect(c.offsetMs).toBe(10);
  });
});
