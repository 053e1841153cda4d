import type { FastifyInstance } from 'fastify';
import { MANIFEST_API_PATH } from '../../src/core/modelMetadata';
import { toManifest } from '../modelRegistry/manifest';
import type { RegistryStore } from '../modelRegistry/registryStore';
import { sendJsonError } from './jsonError';

/**
 * The manifest changes when an operator promotes or reweights a version, so clients must
 * revalidate it every time ('no-cache' still lets them keep a copy for offline use).
 */
const REVALIDATE = 'no-cache';

export function registerModelsApi(app: FastifyInstance, store: RegistryStore): void {
  app.get(MANIFEST_API_PATH, async (_request, reply) => {
    const registry = await store.current();
    reply.header('cache-control', REVALIDATE);
    return toManifest(registry, new Date());
  });

  app.get<{ Params: { version: string } }>(
    `${MANIFEST_API_PATH}/:version`,
    async (request, reply) => {
      const registry = await store.current();
      const found = registry.versions.find((v) => v.entry.version === request.params.version);
      if (!found) {
        return sendJsonError(reply, 404, 'Not Found', `no model version ${request.params.version}`);
      }
      reply.header('cache-control', REVALIDATE);
      return found.metadata;
    },
  );
}
