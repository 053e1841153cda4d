import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { decideRange, ifRangeAllows, matchesIfNoneMatch } from '../byteRange';
import type { ServerMetrics } from '../metrics';
import type { RegistryStore } from '../modelRegistry/registryStore';
import { sendJsonError } from './jsonError';

const firstValue = (header: string | string[] | undefined): string | undefined =>
  Array.isArray(header) ? header[0] : header;

/** A version's bytes never change (a new model is a new version), so caches may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Model bytes. The ETag is the sha256 from metadata.json (strong: equal tags mean equal bytes), so
 * a browser that already holds a version never downloads it again, and a download that broke off
 * resumes with a Range request. Conditional and range logic is written here rather than taken from
 * @fastify/send because send derives weak ETags from mtime and size and checks If-None-Match and
 * If-Range against those, not against the content hash.
 */
export function registerModelFileRoute(
  app: FastifyInstance,
  store: RegistryStore,
  metrics: ServerMetrics,
): void {
  app.get<{ Params: { version: string; file: string } }>(
    '/models/:version/:file',
    async (request, reply) => {
      const { version, file } = request.params;
      const registry = await store.current();
      const found = registry.versions.find(
        (v) => v.entry.version === version && v.metadata.file === file,
      );
      if (!found)
        return sendJsonError(
          reply,
          404,
          'Not Found',
          `no model file ${file} for version ${version}`,
        );

      const { sha256, sizeBytes } = found.metadata;
      const onDisk = await stat(found.modelPath).catch(() => null);
      if (onDisk?.size !== sizeBytes) {
        // The file changed after the registry was validated; serving it under the old ETag would
        // poison caches for a year.
        request.log.error(
          { modelPath: found.modelPath, expectedBytes: sizeBytes },
          'model file changed on disk',
        );
        return sendJsonError(
          reply,
          500,
          'ModelIntegrityError',
          `model file of ${version} changed on disk`,
        );
      }

      const etag = `"${sha256}"`;
      reply.headers({
        etag,
        'cache-control': IMMUTABLE,
        'accept-ranges': 'bytes',
      });
      if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
      reply.header('content-type', 'application/octet-stream');

      const range = ifRangeAllows(firstValue(request.headers['if-range']), etag)
        ? decideRange(request.headers.range, sizeBytes)
        : ({ kind: 'full' } as const);
      if (range.kind === 'unsatisfiable') {
        reply.header('content-range', `bytes */${sizeBytes}`);
        return sendJsonError(
          reply,
          416,
          'Range Not Satisfiable',
          `range ${request.headers.range} outside ${sizeBytes} bytes`,
        );
      }
      const start = range.kind === 'partial' ? range.start : 0;
      const end = range.kind === 'partial' ? range.end : sizeBytes - 1;
      if (range.kind === 'partial') {
        reply.code(206).header('content-range', `bytes ${start}-${end}/${sizeBytes}`);
      }
      reply.header('content-length', end - start + 1);
      // Fastify keeps our Content-Length for a stream payload on HEAD (for other payloads it
      // recomputes it from the body), and an empty stream means nothing is read from disk.
      if (request.method === 'HEAD') return reply.send(Readable.from([]));

      const body = createReadStream(found.modelPath, { start, end });
      body.on('close', () => metrics.modelBytesServed.inc({ version }, body.bytesRead));
      return reply.send(body);
    },
  );
}
