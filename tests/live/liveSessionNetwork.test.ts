/**
 * The page's live session follows the relay's network (issue 13 item 5): a hello naming another
 * network than the fixed model's makes the store's receivers the relay's stations, in its order,
 * and every window goes to the worker with those stations (so the any-network model locates it);
 * a hello for the fixed model's network keeps model order and sends no stations. The relay is a
 * fake WebSocket fed with the relay's own message and frame encoders.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../ui/memoryStorage';
import { windowSamples } from '../../src/core/dsp/logMel';
import type { HelloMessage, LiveReceiver } from '../../src/core/live/liveMessages';
import { encodeFrame } from '../../src/core/live/wireFormat';
import type { Preprocessing } from '../../src/core/modelMetadata';
import type { Station } from '../../src/core/scene/types';
import shippedPreprocessing from '../../training/preprocessing.json';
import { constellation } from './relayHarness';

vi.mock('../../src/bridge/inferenceBridge', () => ({ getInferenceBridge: () => ({}) }));
const { LiveSession } = await import('../../src/live/liveSession');
const { getLiveState } = await import('../../src/state/store');

const preprocessing = shippedPreprocessing as Preprocessing;

/** The one socket the session opens, driven by the test. */
class FakeWebSocket {
  static last: FakeWebSocket | undefined;
  binaryType = 'blob';
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string | ArrayBuffer }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.last = this;
  }
  close(): void {}
  text(m: unknown): void {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  binary(bytes: Uint8Array): void {
    this.onmessage?.({ data: bytes.slice().buffer });
  }
}
vi.stubGlobal('WebSocket', FakeWebSocket);

const LYON: Station[] = [
  { id: 'lyon', name: 'Lyon', lat: 45.76, lon: 4.84 },
  { id: 'grenoble', name: 'Grenoble', lat: 45.19, lon: 5.72 },
  { id: 'macon', name: 'Macon', lat: 46.31, lon: 4.83 },
  { id: 'st-etienne', name: 'Saint-Etienne', lat: 45.44, lon: 4.39 },
  { id: 'bourg', name: 'Bourg', lat: 46.2, lon: 5.23 },
];

function hello(constellationId: string, stations: readonly Station[]): HelloMessage {
  return {
    type: 'hello',
    protocol: 1,
    serverTimeMs: Date.now(),
    constellationId,
    receivers: stations.map((s, index): LiveReceiver => ({
      index,
      receiverId: s.id,
      name: s.name ?? s.id,
      lat: s.lat,
      lon: s.lon,
      source: 'simulated',
      label: 'simulated',
      state: 'streaming',
    })),
  };
}

/** `seconds` of frames (100 ms each) from every relay receiver, ending a moment ago. */
function stream(ws: FakeWebSocket, receivers: number, seconds: number): void {
  const frameSamples = 1200;
  const frames = Math.ceil((seconds * 12000) / frameSamples);
  const startMs = Math.floor((Date.now() - 200 - seconds * 1000) / 100) * 100;
  for (let k = 0; k < frames; k++) {
    for (let r = 0; r < receivers; r++) {
      ws.binary(
        encodeFrame({
          receiverIndex: r,
          sequence: k + 1,
          connectionIndex: 1,
          captureTimeMs: startMs + k * 100,
          sampleRateHz: 12000,
          centerFrequencyHz: 145e6,
          timeExact: true,
          adcOverload: false,
          iq: Float32Array.from({ length: 2 * frameSamples }, (_, i) => (r + 1) * Math.sin(i)),
        }),
      );
    }
  }
}

let session: InstanceType<typeof LiveSession> | undefined;
afterEach(() => {
  session?.stop();
  session = undefined;
});

function start() {
  const calls: { iq: Float32Array[]; stations?: Station[] }[] = [];
  session = new LiveSession({
    url: 'ws://relay.test/api/live',
    preprocessing,
    constellation,
    locateWindow: async (iq, _startMs, stations) => {
      calls.push({ iq, ...(stations ? { stations } : {}) });
      return { squelch: { peakOverNoiseDb: [], hears: [], open: false, thresholdDb: 8 } };
    },
    modelReady: () => true,
    locateTdoa: () => new Promise(() => {}),
  });
  return { ws: FakeWebSocket.last!, calls };
}

const waitFor = (pred: () => boolean) => vi.waitFor(() => expect(pred()).toBe(true), 3_000);

describe('live session on the relay network', () => {
  it('takes a configured network as the relay lists it and sends its stations with each window', async () => {
    const { ws, calls } = start();
    // Before the relay speaks, the fixed model's receivers are shown.
    expect(getLiveState().receivers.map((r) => r.receiverId)).toEqual(
      constellation.receivers.map((r) => r.id),
    );
    ws.text(hello('live-configured', LYON));
    const live = getLiveState();
    expect(live.receivers.map((r) => [r.receiverId, r.name, r.lat, r.lon, r.state])).toEqual(
      LYON.map((s) => [s.id, s.name, s.lat, s.lon, 'streaming']),
    );
    stream(ws, LYON.length, 1.6);
    await waitFor(() => calls.length > 0);
    expect(calls[0].iq).toHaveLength(5);
    expect(calls[0].iq[0]).toHaveLength(2 * windowSamples(preprocessing));
    expect(calls[0].stations?.map((s) => [s.id, s.lat, s.lon])).toEqual(
      LYON.map((s) => [s.id, s.lat, s.lon]),
    );
    // Relay receiver 3 is window array 3: the relay's order is the model's.
    const level = (a: Float32Array) => Math.max(...a.subarray(0, 200).map(Math.abs));
    expect(level(calls[0].iq[3])).toBeCloseTo(4, 1);
  });

  it("keeps the fixed model's order and sends no stations for exactly its network", async () => {
    const { ws, calls } = start();
    // The relay lists the fixed network in another order.
    const relayOrder = [...constellation.receivers].reverse();
    ws.text(hello(constellation.id, relayOrder));
    expect(getLiveState().receivers.map((r) => r.receiverId)).toEqual(
      constellation.receivers.map((r) => r.id),
    );
    stream(ws, 3, 1.6);
    await waitFor(() => calls.length > 0);
    expect(calls[0].stations).toBeUndefined();
    // Model receiver 0 is relay receiver 2 (level 3).
    const level = (a: Float32Array) => Math.max(...a.subarray(0, 200).map(Math.abs));
    expect(level(calls[0].iq[0])).toBeCloseTo(3, 1);
  });
});
