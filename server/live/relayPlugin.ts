import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { LIVE_PATH } from '../../src/core/live/liveMessages';
import { sendJsonError } from '../routes/jsonError';
import { defaultLiveConfig, type LiveConfig } from './liveConfig';
import { LiveHub } from './liveHub';
import { createLiveMetrics } from './liveMetrics';

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
  maxBufferedBytes?: number;
  idleStopMs?: number;
}

const interruptSchema = z
  .object({
    receiverId: z.string(),
    durationMs: z.number().positive().max(600_000),
  })
  .strict();

/** A browser's Origin must name this server; clients that send none (not browsers) may connect. */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The production model's constellation and sample rate, the receivers the relay streams. */
async function productionModel(app: FastifyInstance) {
  const registry = await app.modelRegistry.current();
  const production = registry.versions.find((v) => v.entry.stage === 'production');
  if (!production) return undefined;
  return {
    constellation: production.metadata.constellation,
    sampleRateHz: production.metadata.preprocessing.sampleRateHz,
  };
}

export function liveRelayPlugin(options: LiveRelayOptions = {}): FastifyPluginAsync {
  return async (app) => {
    const config = options.config ?? defaultLiveConfig();
    const hub = new LiveHub({
      config,
      model: () => productionModel(app),
      log: app.log.child({ component: 'live-relay' }),
      metrics: createLiveMetrics(app.metricsRegistry),
      ...(options.maxBufferedBytes === undefined
        ? {}
        : { maxBufferedBytes: options.maxBufferedBytes }),
      ...(options.idleStopMs === undefined ? {} : { idleStopMs: options.idleStopMs }),
    });
    app.addHook('onClose', () => hub.close());
    await app.register(websocket, { options: { perMessageDeflate: false, maxPayload: 64 * 1024 } });

    app.get(LIVE_PATH, { websocket: true }, (socket, request) => {
      // WebSockets are not bound by CORS: without this any site the operator visits could open
      // the relay from the browser and read the receivers' streams.
      if (!sameOrigin(request.headers.origin, request.headers.host)) {
        socket.close(1008, 'cross-origin connections are refused');
        return;
      }
      // The browser only listens; anything it sends is ignored (and small, per maxPayload).
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
