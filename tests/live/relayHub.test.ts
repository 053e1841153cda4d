import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { WebSocket } from 'ws';
import { parseLiveConfig } from '../../server/live/liveConfig';
import { LiveHub } from '../../server/live/liveHub';
import { createLiveMetrics } from '../../server/live/liveMetrics';
import { parseLiveMessage, type LiveMessage } from '../../src/core/live/liveMessages';
import { constellation, silent } from './relayHarness';

/** The part of a ws WebSocket the hub uses, with a buffer level the test sets. */
class FakeSocket extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  binary = 0;
  readonly texts: LiveMessage[] = [];
  send(data: string | Uint8Array): void {
    if (typeof data === 'string') this.texts.push(parseLiveMessage(data));
    else this.binary++;
  }
  close(): void {
    this.readyState = WebSocket.CLOSED;
    this.emit('close');
  }
}

let hub: LiveHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LiveHub', () => {
  it('drops frames to a client whose socket buffer is full instead of queueing them, and counts them', async () => {
    const registry = new Registry();
    hub = new LiveHub({
      config: parseLiveConfig({ scenario: { chunkMs: 50 } }),
      models: async () => ({ fixed: { version: '1.0.0', constellation, sampleRateHz: 12_000 } }),
      log: silent,
      metrics: createLiveMetrics(registry),
      maxBufferedBytes: 100_000,
      statsIntervalMs: 200,
    });
    const fast = new FakeSocket();
    const slow = new FakeSocket();
    await hub.addClient(fast as unknown as WebSocket);
    await hub.addClient(slow as unknown as WebSocket);
    // The slow client's link stalls once it has its hello.
    slow.bufferedAmount = 5_000_000;
    const textsBefore = slow.texts.length;
    await wait(700);
    expect(fast.binary).toBeGreaterThanOrEqual(3 * 10);
    expect(slow.binary).toBe(0);
    // Nothing at all is queued behind a full buffer, JSON stats included.
    expect(slow.texts.length).toBe(textsBefore);
    // Once its buffer drains, the slow client gets frames again, and stats saying what it missed.
    slow.bufferedAmount = 0;
    await wait(300);
    expect(slow.binary).toBeGreaterThan(0);
    const stats = slow.texts.filter((m) => m.type === 'stats').at(-1);
    expect(stats && stats.type === 'stats' && stats.framesDropped).toBeGreaterThanOrEqual(3 * 8);
    const text = await registry.metrics();
    expect(text).toMatch(
      /heimdall_live_frames_dropped_total\{receiver="genova",reason="client_backpressure"\} [1-9]/,
    );
    expect(text).toMatch(/heimdall_live_messages_dropped_total\{type="stats"\} [1-9]/);
    expect(text).toMatch(/heimdall_live_clients 2/);
  });

  it('starts the sources with the first client and stops them after the last one leaves', async () => {
    hub = new LiveHub({
      config: parseLiveConfig({ scenario: { chunkMs: 50 } }),
      models: async () => ({ fixed: { version: '1.0.0', constellation, sampleRateHz: 12_000 } }),
      log: silent,
      idleStopMs: 100,
    });
    expect(hub.status().running).toBe(false);
    const a = new FakeSocket();
    await hub.addClient(a as unknown as WebSocket);
    expect(hub.status().running).toBe(true);
    const hello = a.texts[0];
    expect(hello.type === 'hello' && hello.receivers.map((r) => r.state)).toEqual([
      'connecting',
      'connecting',
      'connecting',
    ]);
    a.close();
    await wait(250);
    expect(hub.status()).toMatchObject({ running: false, clients: 0 });
    expect(hub.status().receivers.map((r) => r.state)).toEqual(['stopped', 'stopped', 'stopped']);
  });

  it('answers with an error when there is no model to take the receivers from', async () => {
    hub = new LiveHub({ config: parseLiveConfig({}), models: async () => ({}), log: silent });
    const a = new FakeSocket();
    await hub.addClient(a as unknown as WebSocket);
    expect(a.texts[0]).toMatchObject({
      type: 'error',
      message: expect.stringMatching(/no fixed-network production model .* "lat" and "lon"/),
    });
    expect(a.readyState).toBe(WebSocket.CLOSED);
  });
});
