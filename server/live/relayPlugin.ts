import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { LIVE_PATH } from '../../src/core/live/liveMessages';
import { sendJsonError } from '../routes/jsonError';
import { defaultLiveConfig, type LiveConfig } from './liveConfig';
import { LiveHub } from './liveHub';
import type { LiveModels } from './liveNetwork';
import { createLiveMetrics } from './liveMetrics';
import { isNetworkModel } from '../../src/core/networkModelMetadata';
import { servingNetworkVersion } from '../../src/core/scene/servingModel';

/**
 * The live relay as a Fastify plugin, for buildApp's extraPlugins:
 *   GET  /api/live                     WebSocket: hello, then binary IQ frames and JSON state/truth/stats
 *   GET  /api/live/status              JSON: the receivers, their states, the clients
 *   POST /api/live/test/interrupt      {receiverId, durationMs}: take a simulated link down
 *                                      (only with the config's testControls: true)
 * Same origin as the app, so it works under the app's COOP/COEP/CSP; the global security-header
 * hook covers these routes too.
 */
export interface LiveRelayOptions {
  config?: LiveConfig;
  /** Overrides the config's clientBufferBytes. */
  maxBufferedBytes?: number;
  /** Overrides the config's slowClientCloseMs. */
  slowClientCloseMs?: number;
  /** Overrides the config's maxClients. */
  maxClients?: number;
  idleStopMs?: number;
  statsIntervalMs?: number;
}

/** Only the first message of a client is logged: the relay takes no input, so any is a misuse. */
const INPUT_IGNORED = 'a live client sent a message; the relay takes no input and ignored it';

const interruptSchema = z
  .object({
    receiverId: z.string(),
    durationMs: z.number().positive().max(600_000),
  })
  .strict();

/**
 * A browser's Origin must name this server: the same host and port as the Host header (which the
 * server's host check has already matched against its own names, so a DNS-rebinding page fails
 * there). Clients that send no Origin are not browsers and may connect.
 */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return url.host === new URL(`${url.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

/** Undefined values left out, so a hub default applies (exactOptionalPropertyTypes). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The models the live view can use: the production model when it serves a fixed network, and
 * the newest any-network model that is not archived (the same choice as `heimdall locate`).
 */
async function liveModels(app: FastifyInstance): Promise<LiveModels> {
  const registry = await app.modelRegistry.current();
  const production = registry.versions.find((v) => v.entry.stage === 'production');
  const anyNetwork = servingNetworkVersion(
    registry.versions.flatMap((v) =>
      isNetworkModel(v.metadata) ? [{ ...v.metadata, stage: v.entry.stage }] : [],
    ),
  );
  return {
    ...(production && !isNetworkModel(production.metadata)
      ? {
          fixed: {
            version: production.metadata.version,
            constellation: production.metadata.constellation,
            sampleRateHz: production.metadata.preprocessing.sampleRateHz,
          },
        }
      : {}),
    ...(anyNetwork
      ? {
          anyNetwork: {
            version: anyNetwork.version,
            serves: anyNetwork.serves,
            sampleRateHz: anyNetwork.preprocessing.sampleRateHz,
          },
        }
      : {}),
  };
}

export function liveRelayPlugin(options: LiveRelayOptions = {}): FastifyPluginAsync {
  return async (app) => {
    const config = options.config ?? defaultLiveConfig();
    const log = app.log.child({ component: 'live-relay' });
    const metrics = createLiveMetrics(app.metricsRegistry);
    const hub = new LiveHub({
      config,
      models: () => liveModels(app),
      log,
      metrics,
      ...defined({
        maxBufferedBytes: options.maxBufferedBytes ?? config.clientBufferBytes,
        slowClientCloseMs: options.slowClientCloseMs ?? config.slowClientCloseMs,
        maxClients: options.maxClients ?? config.maxClients,
        idleStopMs: options.idleStopMs,
        statsIntervalMs: options.statsIntervalMs,
      }),
    });
    app.addHook('onClose', () => hub.close());
    await app.register(websocket, {
      options: { perMessageDeflate: false, maxPayload: 64 * 1024 },
      // A client breaking the WebSocket protocol (oversized or malformed frame, bad UTF-8) is its
      // problem, not the server's: a warn line without a stack, and the socket is dropped.
      errorHandler: (err, socket) => {
        const code = (err as NodeJS.ErrnoException).code;
        log.warn({ code, message: err.message }, 'live client protocol error; connection dropped');
        socket.terminate();
      },
    });

    app.get(LIVE_PATH, { websocket: true }, (socket, request) => {
      // WebSockets are not bound by CORS: without this any site the operator visits could open
      // the relay from the browser and read the receivers' streams.
      if (!sameOrigin(request.headers.origin, request.headers.host)) {
        metrics.connectionsRefused.inc({ reason: 'cross_origin' });
        log.warn({ origin: request.headers.origin }, 'refused a cross-origin live client');
        socket.close(1008, 'cross-origin connections are refused');
        return;
      }
      // The browser only listens; anything it sends is ignored (and small, per maxPayload).
      socket.once('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
        const bytes = Array.isArray(data)
          ? data.reduce((n, b) => n + b.length, 0)
          : data instanceof ArrayBuffer
            ? data.byteLength
            : data.length;
        log.warn({ bytes }, INPUT_IGNORED);
      });
      void hub.addClient(socket);
    });

    app.get(`${LIVE_PATH}/status`, async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return hub.status();
    });

    if (config.testControls) {
      app.log.warn('live relay test controls are ON (POST /api/live/test/interrupt)');
      app.post(`${LIVE_PATH}/test/interrupt`, async (request, reply) => {
        const body = interruptSchema.safeParse(request.body);
        if (!body.success) {
          return sendJsonError(reply, 400, 'Bad Request', 'expected {receiverId, durationMs}');
        }
        if (!hub.interrupt(body.data.receiverId, body.data.durationMs)) {
          return sendJsonError(
            reply,
            404,
            'Not Found',
            `${body.data.receiverId} is not a running simulated receiver`,
          );
        }
        return { ok: true, ...body.data };
      });
    }
  };
}
