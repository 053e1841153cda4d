import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveSocket } from '../../src/live/liveSocket';

/** A WebSocket stand-in: records instances; the test closes them as the network would. */
class FakeWebSocket {
  static made: FakeWebSocket[] = [];
  binaryType = 'blob';
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.made.push(this);
  }
  close(): void {}
}

describe('LiveSocket reconnects', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    FakeWebSocket.made = [];
  });

  function run(random: () => number): number[] {
    FakeWebSocket.made = [];
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeWebSocket);
    const delays: number[] = [];
    const socket = new LiveSocket(
      'ws://127.0.0.1/api/live',
      {
        onOpen: () => {},
        onText: () => {},
        onBinary: () => {},
        onClose: (_, ms) => delays.push(ms),
      },
      random,
    );
    for (let i = 0; i < 6; i++) {
      FakeWebSocket.made.at(-1)!.onclose!({ code: 1006, reason: '' });
      vi.advanceTimersByTime(delays.at(-1)!);
    }
    socket.close();
    return delays;
  }

  it('with the shared jittered backoff, capped at 10 s', () => {
    expect(run(() => 0)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    // The largest draw takes 30 % off each delay: pages dropped together spread out.
    expect(run(() => 0.999999)).toEqual([700, 1400, 2800, 5600, 7000, 7000]);
    expect(FakeWebSocket.made.length).toBe(7); // the first socket and six reconnects
  });
});
