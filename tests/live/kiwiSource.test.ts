import { afterEach, describe, expect, it } from 'vitest';
import { KiwiIqSource, type KiwiSourceOptions } from '../../server/live/kiwiSource';
import { parseAllowList } from '../../server/live/allowList';
import type { IqFrame, SourceState } from '../../server/live/types';
import { KiwiDouble, toneSample, type KiwiDoubleOptions } from '../support/kiwiDouble';
import { isHeimdallError } from '../../src/core/errors';

let double: KiwiDouble | undefined;
let source: KiwiIqSource | undefined;

afterEach(async () => {
  await source?.stop();
  await double?.close();
  source = undefined;
  double = undefined;
});

async function setup(
  d: KiwiDoubleOptions = {},
  s: Partial<KiwiSourceOptions> = {},
): Promise<{ dbl: KiwiDouble; src: KiwiIqSource; frames: IqFrame[]; states: SourceState[] }> {
  const dbl = await KiwiDouble.start(d);
  double = dbl;
  const src = new KiwiIqSource({
    receiverId: 'rx-a',
    host: dbl.host,
    port: dbl.port,
    allowList: parseAllowList([`${dbl.host === '::1' ? '[::1]' : dbl.host}:${dbl.port}`]),
    centerFrequencyHz: 7_074_000,
    lowCutHz: -6000,
    highCutHz: 6000,
    ...s,
  });
  source = src;
  const frames: IqFrame[] = [];
  const states: SourceState[] = [];
  src.on('frame', (f) => frames.push(f));
  src.on('state', (st) => states.push(st));
  return { dbl, src, frames, states };
}

const names = (states: SourceState[]) => states.map((s) => s.state);

describe('KiwiIqSource against the local KiwiSDR double', () => {
  it('sends the handshake in order and receives real-time IQ frames with GPS times', async () => {
    const { dbl, src, frames, states } = await setup(
      { sampleRateHz: 12001.135, password: 'secret word', gpsLastSolution: 3 },
      { password: 'secret word', manualGainDb: 40 },
    );
    src.start();
    await dbl.waitFor(() => frames.length >= 6, '6 frames');
    const conn = dbl.connections[0];
    expect(conn.commands.slice(0, 8)).toEqual([
      'SET auth t=kiwi p=secret%20word',
      'SET AR OK in=12000 out=44100',
      'SET squelch=0 max=0',
      'SET ident_user=heimdall',
      'SET mod=iq low_cut=-6000 high_cut=6000 freq=7074.000',
      'SET agc=0 hang=0 thresh=-100 slope=6 decay=1000 manGain=40',
      'SET compression=0',
      'SET keepalive',
    ]);
    expect(conn.violations).toEqual([]);
    expect(names(states).slice(0, 2)).toEqual(['connecting', 'streaming']);

    const frameMs = (512 / 12001.135) * 1000;
    frames.slice(0, 6).forEach((f, k) => {
      expect(f.receiverId).toBe('rx-a');
      expect(f.sequence).toBe(k + 1);
      expect(f.connectionIndex).toBe(1);
      expect(f.sampleRateHz).toBe(12001.135);
      expect(f.centerFrequencyHz).toBe(7_074_000);
      expect(f.rssiDbm).toBeCloseTo(-73, 6);
      expect(f.iq.length).toBe(1024);
      let maxErr = 0;
      for (let n = 0; n < 512; n++) {
        const [i, q] = toneSample(k * 512 + n, dbl.options);
        maxErr = Math.max(maxErr, Math.abs(f.iq[2 * n] - i), Math.abs(f.iq[2 * n + 1] - q));
      }
      expect(maxErr).toBeLessThanOrEqual(0.5 / 32768 + 1e-7); // int16 rounding only
      // The double's first frame has a blank GPS stamp, as a real Kiwi's first packet.
      expect(f.timeSource).toBe(k === 0 ? 'arrival' : 'gps');
      expect(Math.abs(f.captureTimeMs - Date.now())).toBeLessThan(2000);
    });
    for (let k = 2; k < 6; k++) {
      expect(frames[k].captureTimeMs - frames[k - 1].captureTimeMs).toBeCloseTo(frameMs, 3);
    }
  });

  it('sends keepalives on its interval', async () => {
    const { dbl, src, frames } = await setup({}, { keepaliveIntervalMs: 50 });
    src.start();
    await dbl.waitFor(() => frames.length > 0, 'first frame');
    const count = () => dbl.connections[0].commands.filter((c) => c === 'SET keepalive').length;
    const before = count();
    await dbl.waitFor(() => count() >= before + 4, '4 more keepalives', 1500);
    expect(dbl.connections[0].violations).toEqual([]);
  });

  it('reports a stall, then streaming again when frames resume', async () => {
    const { dbl, src, frames, states } = await setup(
      {},
      { stallTimeoutMs: 300, stallReconnectMs: 10_000 },
    );
    src.start();
    await dbl.waitFor(() => frames.length >= 2, 'frames');
    dbl.stall();
    await dbl.waitFor(() => src.state.state === 'stalled', 'stalled state', 1500);
    expect(src.state.detail).toMatch(/no IQ frame for \d+ ms/);
    const n = frames.length;
    dbl.resume();
    await dbl.waitFor(() => frames.length > n && src.state.state === 'streaming', 'resumed');
    expect(names(states).slice(0, 2)).toEqual(['connecting', 'streaming']);
    expect(names(states).slice(-2)).toEqual(['stalled', 'streaming']);
    expect(names(states)).not.toContain('reconnecting');
    expect(dbl.connections.length).toBe(1);
    expect(frames[frames.length - 1].sequence).toBe(frames.length); // no sequence gap
  });

  it('reconnects after a stall that lasts too long', async () => {
    const { dbl, src, frames, states } = await setup(
      {},
      {
        stallTimeoutMs: 80,
        stallReconnectMs: 250,
        backoff: { baseMs: 20, maxMs: 100, factor: 2, jitter: 0 },
      },
    );
    src.start();
    await dbl.waitFor(() => frames.length >= 1, 'frames');
    dbl.stall();
    await dbl.waitFor(() => states.some((s) => s.state === 'reconnecting'), 'reconnecting');
    expect(states.find((s) => s.state === 'reconnecting')?.detail).toMatch(/no IQ frame for/);
    await dbl.waitFor(() => dbl.connections.length >= 2, 'second connection');
    dbl.resume();
    await dbl.waitFor(
      () => frames.some((f) => f.connectionIndex >= 2),
      'frames on a new connection',
    );
    expect(dbl.connections[0].open).toBe(false);
  });

  it('reports a dropped connection, retries with growing backoff, and streams again', async () => {
    const { dbl, src, frames, states } = await setup(
      {},
      { backoff: { baseMs: 40, maxMs: 1000, factor: 2, jitter: 0 } },
    );
    src.start();
    await dbl.waitFor(() => frames.length >= 2, 'frames');
    dbl.refuse = true;
    dbl.dropConnections();
    const retries = () => states.filter((s) => s.state === 'reconnecting');
    await dbl.waitFor(() => retries().length >= 3, '3 reconnect attempts');
    expect(retries()[0].detail).toMatch(/connection closed \(1006/);
    expect(retries()[1].detail).toMatch(/503/);
    expect(
      retries()
        .slice(0, 3)
        .map((s) => s.reconnectInMs),
    ).toEqual([40, 80, 160]);
    dbl.refuse = false;
    await dbl.waitFor(() => frames.some((f) => f.connectionIndex > 1), 'frames after reconnect');
    const resumed = frames.filter((f) => f.connectionIndex > 1);
    expect(resumed[0].sequence).toBe(1);
    expect(src.state.state).toBe('streaming');
    // A successful stream resets the backoff.
    const before = retries().length;
    dbl.dropConnections();
    await dbl.waitFor(() => retries().length > before, 'next reconnect');
    expect(retries().at(-1)?.reconnectInMs).toBe(40);
    expect(dbl.rejected.length).toBeGreaterThanOrEqual(2);
  });

  it('streams from an IPv6 loopback receiver listed as [::1]:port', async () => {
    const { dbl, src, frames } = await setup({ host: '::1' });
    expect(src.receiverId).toBe('rx-a');
    src.start();
    await dbl.waitFor(() => frames.length >= 2, 'frames over IPv6');
    expect(dbl.connections[0].violations).toEqual([]);
  });

  it('can be stopped while still connecting, without errors or reconnects', async () => {
    const { dbl, src, states } = await setup();
    src.start();
    await src.stop();
    expect(names(states)).toEqual(['connecting', 'stopped']);
    await new Promise((r) => setTimeout(r, 100));
    expect(names(states)).toEqual(['connecting', 'stopped']);
    expect(dbl.connections.every((c) => !c.open)).toBe(true);
  });

  it('refuses a host that is not on the allow-list without connecting', async () => {
    const dbl = await KiwiDouble.start();
    double = dbl;
    const tries: Partial<KiwiSourceOptions>[] = [
      { allowList: parseAllowList([`127.0.0.1:${dbl.port + 1}`]) },
      { allowList: parseAllowList(['kiwi.example.org:*']) },
      { host: 'localhost', allowList: parseAllowList([`127.0.0.1:${dbl.port}`]) },
      { host: '127.0.0.1@evil', allowList: parseAllowList([`127.0.0.1:${dbl.port}`]) },
    ];
    for (const t of tries) {
      let caught: unknown;
      try {
        new KiwiIqSource({
          receiverId: 'rx-x',
          host: '127.0.0.1',
          port: dbl.port,
          allowList: [],
          centerFrequencyHz: 10e6,
          ...t,
        }).start();
      } catch (err) {
        caught = err;
      }
      expect(isHeimdallError(caught, 'ConfigError')).toBe(true);
      expect((caught as Error).message).toMatch(/rx-x: .* is not on the live allow-list/);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(dbl.tcpConnections).toBe(0);
  });

  it('stop() closes the socket cleanly and emits nothing afterwards', async () => {
    const { dbl, src, frames, states } = await setup();
    src.start();
    await dbl.waitFor(() => frames.length >= 2, 'frames');
    await src.stop();
    expect(src.state.state).toBe('stopped');
    await dbl.waitFor(() => !dbl.connections[0].open, 'server sees the close', 1000);
    const n = frames.length;
    const s = states.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(frames.length).toBe(n);
    expect(states.length).toBe(s);
    expect(dbl.connections.length).toBe(1);
    await src.stop(); // idempotent
    expect(states.length).toBe(s);
  });

  it('gives up with an error on a wrong password, and retries when the receiver is busy', async () => {
    const bad = await setup({ password: 'right' }, { password: 'wrong' });
    bad.src.start();
    await bad.dbl.waitFor(() => bad.src.state.state === 'error', 'error state');
    expect(bad.src.state.detail).toMatch(/password/);
    await new Promise((r) => setTimeout(r, 150));
    expect(bad.dbl.connections.length).toBe(1);
    await bad.src.stop();
    await bad.dbl.close();

    const busy = await setup(
      { tooBusy: true },
      { backoff: { baseMs: 500, maxMs: 500, factor: 1, jitter: 0 } },
    );
    busy.src.start();
    await busy.dbl.waitFor(() => busy.src.state.state === 'reconnecting', 'reconnecting');
    expect(busy.src.state.detail).toBe('all 4 receiver channels are busy');
    expect(busy.src.state.reconnectInMs).toBe(500);
  });
});
