import { describe, expect, it } from 'vitest';
import { ReceiverStream, type StreamFrame } from '../../src/core/live/receiverStream';
import { WindowAssembler, type WindowEvent } from '../../src/core/live/windowAssembler';

const FS = 12_000;
const FRAME = 1200; // 100 ms

/** Sample n's value encodes n, so a read shows exactly which samples it got. */
function frame(
  first: number,
  sequence: number,
  o: Partial<StreamFrame> = {},
  fs = FS,
  n = FRAME,
): StreamFrame {
  const iq = new Float32Array(2 * n);
  for (let j = 0; j < n; j++) {
    iq[2 * j] = first + j;
    iq[2 * j + 1] = -(first + j);
  }
  return {
    connectionIndex: 1,
    sequence,
    captureTimeMs: (first / fs) * 1000,
    sampleRateHz: fs,
    iq,
    ...o,
  };
}

function feed(s: ReceiverStream, fromFrame: number, toFrame: number, o: Partial<StreamFrame> = {}) {
  for (let k = fromFrame; k < toFrame; k++) s.push(frame(k * FRAME, k + 1, o));
}

describe('ReceiverStream', () => {
  it('places contiguous frames on one time axis and reads any span of them', () => {
    const s = new ReceiverStream(10);
    feed(s, 0, 5);
    expect(s.startMs).toBe(0);
    expect(s.endMs).toBe(500);
    const got = s.read(150, 1500)!;
    expect(got[0]).toBe(1800); // 150 ms = sample 1800
    expect(got[2 * 1499]).toBe(3299);
    expect(got[2 * 1499 + 1]).toBe(-3299);
    expect(s.read(450, 1200)).toBeUndefined(); // runs past the newest sample
    expect(s.read(-10, 100)).toBeUndefined();
  });

  it('starts a new segment at a gap, a reconnect or a rate change, and keeps only maxSeconds', () => {
    const s = new ReceiverStream(0.5);
    feed(s, 0, 3);
    expect(s.push(frame(4 * FRAME, 5))).toBe('restarted'); // frame 4 (sequence 4) was lost
    expect(s.startMs).toBeCloseTo(400, 9);
    expect(s.read(100, 10)).toBeUndefined();
    expect(s.push(frame(5 * FRAME, 6))).toBe('appended');
    expect(s.push(frame(6 * FRAME, 1, { connectionIndex: 2 }))).toBe('restarted');
    expect(s.restarts).toBe(2);
    for (let k = 7; k < 20; k++) s.push(frame(k * FRAME, k - 5, { connectionIndex: 2 }));
    // 0.5 s kept (plus at most one frame, which is dropped whole).
    expect(s.endMs! - s.startMs!).toBeLessThanOrEqual(600);
    expect(s.endMs! - s.startMs!).toBeGreaterThanOrEqual(500);
  });
});

const spec = { windowSamples: 8448, modelRateHz: FS, maxWaitMs: 1_000 };
const windowMs = (8448 / FS) * 1000; // 704 ms
const kinds = (events: WindowEvent[]) => events.map((e) => e.kind);

describe('WindowAssembler', () => {
  it('cuts the same time span from every receiver, on the clock grid, one window after another', () => {
    const streams = [0, 1, 2].map(() => new ReceiverStream(10));
    streams.forEach((s) => feed(s, 0, 30)); // 3 s
    const a = new WindowAssembler(spec);
    const events = a.poll(streams, 3_000);
    expect(kinds(events)).toEqual(['window', 'window', 'window', 'window']);
    events.forEach((e, k) => {
      expect(e.startMs).toBeCloseTo(k * windowMs, 9);
      if (e.kind !== 'window') return;
      const first = Math.round((e.startMs / 1000) * FS);
      for (const iq of e.iq) {
        expect(iq.length).toBe(2 * 8448);
        expect(iq[0]).toBe(first);
        expect(iq[2 * 8447]).toBe(first + 8447);
      }
    });
    // Nothing twice: the next poll waits for the fifth window's samples.
    expect(a.poll(streams, 3_000)).toEqual([]);
    streams.forEach((s) => feed(s, 30, 36));
    expect(kinds(a.poll(streams, 3_600))).toEqual(['window']);
  });

  it('waits for a late receiver, then reports the window incomplete and goes on without it', () => {
    const streams = [0, 1, 2].map(() => new ReceiverStream(10));
    feed(streams[0], 0, 10);
    feed(streams[1], 0, 10);
    feed(streams[2], 0, 5); // 0.5 s only: stalled
    const a = new WindowAssembler(spec);
    expect(a.poll(streams, 1_000)).toEqual([]); // within maxWaitMs of the first window's end
    const late = a.poll(streams, 704 + 1_001);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ kind: 'incomplete', missing: [2], windows: 1 });
  });

  it('skips a window a restarted receiver can never deliver without waiting for it', () => {
    const streams = [0, 1, 2].map(() => new ReceiverStream(10));
    streams.forEach((s) => feed(s, 0, 5));
    const a = new WindowAssembler(spec);
    expect(a.poll(streams, 500)).toEqual([]);
    feed(streams[0], 5, 25);
    feed(streams[1], 5, 25);
    // Receiver 2 reconnects at 1.2 s: the window [0, 704) misses its tail for ever.
    streams[2].push(frame(12 * FRAME, 1, { connectionIndex: 2 }));
    for (let k = 13; k < 25; k++) streams[2].push(frame(k * FRAME, k - 11, { connectionIndex: 2 }));
    const events = a.poll(streams, 2_500);
    expect(kinds(events)).toEqual(['incomplete', 'incomplete', 'window']);
    expect(events[0]).toMatchObject({ missing: [2] });
    expect(events[2].startMs).toBeCloseTo(2 * windowMs, 9);
  });

  it('jumps over a long backlog in one event instead of one per window', () => {
    const streams = [0, 1, 2].map(() => new ReceiverStream(60));
    streams.forEach((s) => feed(s, 0, 8));
    const a = new WindowAssembler(spec);
    expect(kinds(a.poll(streams, 800))).toEqual(['window']);
    streams.forEach((s) => feed(s, 8, 300)); // 30 s arrive at once
    const events = a.poll(streams, 30_000);
    expect(events[0]).toMatchObject({ kind: 'incomplete', missing: [] });
    const skipped = events[0].kind === 'incomplete' ? events[0].windows : 0;
    expect(skipped).toBeGreaterThan(30);
    expect(events.filter((e) => e.kind === 'window').length).toBeLessThanOrEqual(2);
  });

  it('resamples a receiver whose rate differs from the model (a KiwiSDR at 12001.135 Hz)', () => {
    const kiwiFs = 12_001.135;
    const tone = (fs: number, first: number, n: number) => {
      const iq = new Float32Array(2 * n);
      for (let j = 0; j < n; j++) {
        const t = (first + j) / fs;
        iq[2 * j] = Math.cos(2 * Math.PI * 500 * t);
        iq[2 * j + 1] = Math.sin(2 * Math.PI * 500 * t);
      }
      return iq;
    };
    const streams = [FS, kiwiFs].map((fs) => {
      const s = new ReceiverStream(10);
      for (let k = 0; k < 20; k++) {
        s.push({
          connectionIndex: 1,
          sequence: k + 1,
          captureTimeMs: ((k * 1024) / fs) * 1000,
          sampleRateHz: fs,
          iq: tone(fs, k * 1024, 1024),
        });
      }
      return s;
    });
    const [w] = new WindowAssembler(spec).poll(streams, 2_000).filter((e) => e.kind === 'window');
    expect(w.kind).toBe('window');
    if (w.kind !== 'window') return;
    // The resampled tone lines up with the 12 kHz one to within a fraction of a sample.
    let err = 0;
    for (let j = 0; j < 8448; j++) err = Math.max(err, Math.abs(w.iq[1][2 * j] - w.iq[0][2 * j]));
    expect(err).toBeLessThan(0.2);
  });
});
