/**
 * The page's WebSocket to the live relay (same origin, so the app's CSP and COOP/COEP allow it),
 * reconnecting with a growing delay while the live view is open.
 */
import { LIVE_PATH } from '../core/live/liveMessages';

export interface LiveSocketHandlers {
  onOpen: () => void;
  onText: (text: string) => void;
  onBinary: (bytes: Uint8Array) => void;
  /** The socket closed; `retryInMs` when another attempt is scheduled. */
  onClose: (reason: string, retryInMs: number) => void;
}

const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 10_000;

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
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** this.attempt++);
      this.h.onClose(e.reason || `connection closed (${e.code})`, delay);
      this.retryTimer = setTimeout(() => {
        if (!this.stopped) this.connect();
      }, delay);
    };
  }
}
