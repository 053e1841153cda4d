/** Starts the companion server with the live relay on a free port and reads it as a browser would. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { WebSocket, type RawData } from 'ws';
import { buildApp } from '../../server/app';
import type { LiveConfig } from '../../server/live/liveConfig';
import { liveRelayPlugin, type LiveRelayOptions } from '../../server/live/relayPlugin';
import { parseLiveMessage, type LiveMessage } from '../../src/core/live/liveMessages';
import { decodeFrame, type WireFrame } from '../../src/core/live/wireFormat';
import { constellationSchema } from '../../src/core/modelMetadata';

/** The shipped three-receiver constellation, for hubs built without a registry. */
export const constellation = constellationSchema.parse(
  JSON.parse(readFileSync(new URL('../../training/constellation.json', import.meta.url), 'utf8')),
);

/** A logger that says nothing (hub tests check counters and messages, not logs). */
export const silent = {
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silent,
} as unknown as FastifyBaseLogger;

/** The test models' registry: production 1.0.0 over the nw-italy-2m constellation at 12 kS/s. */
export const FIXTURE_REGISTRY = fileURLToPath(
  new URL('../fixtures/models/registry.json', import.meta.url),
);

/** The shipped registry: production 1.1.0 (nw-italy-2m) and the any-network 2.0.0. */
export const SHIPPED_REGISTRY = fileURLToPath(
  new URL('../../public/models/registry.json', import.meta.url),
);

export async function startRelay(
  config: LiveConfig,
  options: Omit<LiveRelayOptions, 'config'> = {},
  registryPath = FIXTURE_REGISTRY,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({
    registryPath,
    extraPlugins: [liveRelayPlugin({ config, ...options })],
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: address };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data);
}

export class RelayClient {
  readonly frames: WireFrame[] = [];
  readonly messages: LiveMessage[] = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.frames.push(decodeFrame(toBytes(data)));
      else this.messages.push(parseLiveMessage(Buffer.from(toBytes(data)).toString('utf8')));
    });
    ws.on('close', () => {
      this.closed = true;
    });
  }

  /** `origin`: the Origin header a browser page would send (none by default, as a CLI client). */
  static async connect(baseUrl: string, origin?: string): Promise<RelayClient> {
    const ws = new WebSocket(
      `${baseUrl.replace(/^http/, 'ws')}/api/live`,
      origin ? { origin } : {},
    );
    const client = new RelayClient(ws);
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    return client;
  }

  of<T extends LiveMessage['type']>(type: T): Extract<LiveMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<LiveMessage, { type: T }> => m.type === type);
  }

  framesOf(receiverIndex: number): WireFrame[] {
    return this.frames.filter((f) => f.receiverIndex === receiverIndex);
  }

  async waitFor(pred: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((ok) => {
      this.ws.once('close', () => ok());
      this.ws.close();
    });
  }
}
