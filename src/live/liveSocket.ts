/**
 * The page's WebSocket to the live relay (same origin, so the app's CSP and COOP/COEP allow it),
 * reconnecting with a growing, jittered delay (the relay's own sources use the same backoff) while
 * the live view is open: pages dropped together by a relay restart do not all retry at once.
 */
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from '../core/live/backoff';
import { LIVE_PATH } from '../core/live/liveMessages';

export interface LiveSocketHandlers {
  onOpen: () => void;
  onText: (text: string) => void;
  onBinary: (bytes: Uint8Array) => void;
  /** The socket closed; `retryInMs` when another attempt is scheduled. */
  onClose: (reason: string, retryInMs: number) => void;
}

/** An open page should come back within seconds of the relay: cap the wait at 10 s. */
export const LIVE_SOCKET_BACKOFF: BackoffPolicy = { ...DEFAULT_BACKOFF, maxMs: 10_000 };

export function liveRelayUrl(origin = location.origin): string {
  return `${origin.replace(/^http/, 'ws')}${LIVE_PATH}`;
}

export class LiveSocket {
  private ws: WebSocket | undefined;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly h: LiveSocketHandlers,
    private readonly random: () => number = Math.random,
  ) {
    this.connect();
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.ws?.close(1000, 'live view closed');
    this.ws = undefined;
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.h.onOpen();
    };
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      if (typeof e.data === 'string') this.h.onText(e.data);
      else this.h.onBinary(new Uint8Array(e.data));
    };
    ws.onclose = (e) => {
      if (this.ws !== ws || this.stopped) return;
      const delay = backoffDelayMs(this.attempt++, LIVE_SOCKET_BACKOFF, this.random);
      this.h.onClose(e.reason || `connection closed (${e.code})`, delay);
      this.retryTimer = setTimeout(() => {
        if (!this.stopped) this.connect();
      }, delay);
    };
  }
}
