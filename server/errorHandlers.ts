import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance } from 'fastify';
import { withoutPaths } from './publicText';
import { sendJsonError } from './routes/jsonError';

/**
 * Errors a route throws. A client's mistake (4xx: bad JSON body, wrong content type) is logged at
 * warn without a stack (it is not our bug, and a stack per bad request floods the log) and answered
 * with its message. A server failure (5xx) is logged in full and answered without its message,
 * which may hold file paths or internals; the request id ties the answer to the log line.
 */
export function addErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return sendJsonError(
        reply,
        status,
        STATUS_CODES[status] ?? 'Error',
        `the server failed on this request (request id ${request.id}); the server log has the cause`,
      );
    }
    request.log.warn(
      { code: err.code, message: err.message, method: request.method, url: request.url },
      'bad request',
    );
    return sendJsonError(reply, status, STATUS_CODES[status] ?? 'Error', withoutPaths(err.message));
  });
}

/**
 * Requests Node's HTTP parser rejects before Fastify sees them (a malformed request line, headers
 * too large). Fastify's default logs them at trace; an operator wants them at warn, without a
 * stack. The answer is the one Fastify's default gives.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  err: NodeJS.ErrnoException,
  socket: Socket,
): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  this.log.warn({ code: err.code, message: err.message }, 'bad HTTP request');
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({
    statusCode: status,
    error: STATUS_CODES[status],
    message: status === 431 ? 'Exceeded maximum allowed HTTP header size' : 'Client Error',
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Content-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
  );
}
