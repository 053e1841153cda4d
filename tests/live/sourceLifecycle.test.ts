import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseAllowList } from '../../server/live/allowList';
import { KiwiIqSource } from '../../server/live/kiwiSource';
import { SimulatedIqSource } from '../../server/live/simulatedSource';
import { SourceLifecycle, type LifecycleTiming } from '../../server/live/sourceLifecycle';
import type { IqSource, SourceState } from '../../server/live/types';
import { KiwiDouble } from '../support/kiwiDouble';

const names = (states: SourceState[]) => states.map((s) => s.state);

describe('SourceLifecycle (fake clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function lifecycle(over: Partial<LifecycleTiming> = {}) {
    vi.useFakeTimers();
    const states: SourceState[] = [];
    const calls = { connect: 0, drop: 0 };
    const life = new SourceLifecycle(
      'rx',
      {
        stallTimeoutMs: 100,
        stallReconnectMs: 300,
        connectTimeoutMs: 200,
        backoff: { baseMs: 50, maxMs: 400, factor: 2, jitter: 0 },
        random: () => 0,
        nowMs: () => Date.now(),
        ...over,
      },
      {
        connect: () => calls.connect++,
        drop: () => calls.drop++,
        emit: (s) => states.push(s),
      },
    );
    return { life, states, calls };
  }

  it('stalls, reconnects after the longer silence, and a frame resets the backoff', () => {
    const { life, states, calls } = lifecycle();
    life.start();
    expect(life.frame()).toBe(true);
    vi.advanceTimersByTime(120);
    expect(life.state.state).toBe('stalled');
    expect(life.frame()).toBe(true);
    expect(life.state.state).toBe('streaming');
    vi.advanceTimersByTime(320);
    expect(life.state).toMatchObject({ state: 'reconnecting', reconnectInMs: 50 });
    expect(life.frame()).toBe(false); // no frames taken between connections
    expect(calls.drop).toBe(1);
    vi.advanceTimersByTime(50);
    expect(calls.connect).toBe(2);
    // No first frame within connectTimeoutMs: the next delay doubles.
    vi.advanceTimersByTime(220);
    expect(life.state).toMatchObject({ state: 'reconnecting', reconnectInMs: 100 });
    expect(life.state.detail).toBe('no IQ frame within 200 ms of connecting');
    vi.advanceTimersByTime(100);
    life.frame();
    life.fail('connection closed (1006)');
    expect(life.state.reconnectInMs).toBe(50);
    expect(names(states)).toEqual([
      'connecting',
      'streaming',
      'stalled',
      'streaming',
      'stalled',
      'reconnecting',
      'connecting',
      'reconnecting',
      'connecting',
      'streaming',
      'reconnecting',
    ]);
  });

  it('gives up on a fatal failure and stops cleanly', () => {
    const { life, states, calls } = lifecycle();
    life.start();
    life.giveUp('wrong password');
    expect(life.state).toMatchObject({ state: 'error', detail: 'wrong password' });
    expect(life.isRunning).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(calls.connect).toBe(1);
    life.stop();
    expect(names(states)).toEqual(['connecting', 'error', 'stopped']);
  });
});

describe('the Kiwi and simulated sources behave the same', () => {
  let double: KiwiDouble | undefined;
  const sources: IqSource[] = [];
  afterEach(async () => {
    await Promise.all(sources.map((s) => s.stop()));
    sources.length = 0;
    await double?.close();
  });

  it('through one outage: the same states, details and reconnect delays', async () => {
    // Timeouts long against a busy machine's event-loop lag (a 100 ms stall timeout once stalled
    // a healthy stream at load 17), with the outage ending before the reconnect as before.
    const timing = {
      stallTimeoutMs: 300,
      stallReconnectMs: 900,
      backoff: { baseMs: 1500, maxMs: 3000, factor: 2, jitter: 0 },
      random: Math.random,
    };
    const dbl = await KiwiDouble.start();
    double = dbl;
    const kiwi = new KiwiIqSource({
      receiverId: 'rx',
      host: dbl.host,
      port: dbl.port,
      allowList: parseAllowList([`${dbl.host}:${dbl.port}`]),
      centerFrequencyHz: 7_074_000,
      ...timing,
    });
    const sim = new SimulatedIqSource('rx', { ...timing, nowMs: () => Date.now() }, () => {});
    sources.push(kiwi, sim);
    const seen = new Map<IqSource, SourceState[]>([
      [kiwi, []],
      [sim, []],
    ]);
    for (const [s, list] of seen) s.on('state', (st) => list.push(st));
    // The simulated network's clock, at the double's frame rate (512 samples at 12 kHz).
    let sample = 0;
    const clock = setInterval(() => {
      sim.deliver({
        startSample: sample,
        chunkSamples: 512,
        captureTimeMs: Date.now(),
        sampleRateHz: 12_000,
        centerFrequencyHz: 7_074_000,
        iq: new Float32Array(1024),
      });
      sample += 512;
    }, 43);
    try {
      kiwi.start();
      sim.start();
      await dbl.waitFor(
        () => kiwi.state.state === 'streaming' && sim.state.state === 'streaming',
        'both streaming',
      );
      // The same outage for both: 1800 ms without frames, long enough to reconnect.
      sim.interrupt(1800);
      dbl.stall();
      setTimeout(() => dbl.resume(), 1800);
      const done = (s: IqSource) =>
        names(seen.get(s)!).filter((n) => n === 'streaming').length >= 2;
      await dbl.waitFor(() => done(kiwi) && done(sim), 'both streaming again', 15_000);
    } finally {
      clearInterval(clock);
    }
    const summary = (s: IqSource) =>
      seen.get(s)!.map((st) => ({
        state: st.state,
        detail: st.detail?.replace(/\d+ ms/, 'N ms'),
        reconnectInMs: st.reconnectInMs,
      }));
    expect(summary(kiwi)).toEqual(summary(sim));
    expect(names(seen.get(kiwi)!)).toEqual([
      'connecting',
      'streaming',
      'stalled',
      'reconnecting',
      'connecting',
      'streaming',
    ]);
    expect(seen.get(kiwi)!.find((s) => s.state === 'reconnecting')?.reconnectInMs).toBe(1500);
  });
});
