import type { FastifyInstance } from 'fastify';
import type { HostPolicy } from './hostPolicy';
import { sendJsonError } from './routes/jsonError';

/** The longest Host value echoed back or logged; a hostile one can be kilobytes long. */
const MAX_HOST_ECHO_CHARS = 100;

/**
 * Refuses, before any route runs (static files, API, model bytes, /metrics, /healthz and the live
 * WebSocket upgrade alike), a request whose Host header is not one of this server's names: the
 * mark of a DNS-rebinding page. 421 Misdirected Request says "not this server" without a
 * redirect a browser would follow.
 */
export function addHostCheck(app: FastifyInstance, policy: HostPolicy): void {
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host;
    if (policy.allows(host)) return;
    const shown = JSON.stringify((host ?? '').slice(0, MAX_HOST_ECHO_CHARS));
    request.log.warn({ host: shown, url: request.url }, 'refused a request for a foreign Host');
    if (request.headers.upgrade !== undefined) {
      // A refused WebSocket upgrade: the HTTP server has already let go of this socket, and this
      // hook runs before @fastify/websocket's own (which would end it), so end it here once the
      // answer is out; else it stays open and keeps the server from closing.
      reply.header('connection', 'close');
      reply.raw.once('finish', () => request.raw.socket.destroy());
    }
    return sendJsonError(
      reply,
      421,
      'Misdirected Request',
      host === undefined
        ? 'the request has no Host header'
        : `this server does not answer for Host ${shown} (an operator can allow a name with --allowed-host)`,
    );
  });
}
