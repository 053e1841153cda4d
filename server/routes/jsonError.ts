import type { FastifyReply } from 'fastify';

/** JSON error body in the shape Fastify uses for its own errors, so clients parse one format. */
export function sendJsonError(
  reply: FastifyReply,
  statusCode: number,
  error: string,
  message: string,
): FastifyReply {
  return reply
    .code(statusCode)
    .type('application/json; charset=utf-8')
    .send({ statusCode, error, message });
}
