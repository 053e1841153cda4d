import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from '../metrics';
import { withoutPaths } from '../publicText';
import type { RegistryStore } from '../modelRegistry/registryStore';

export interface HealthReport {
  /** True when the registry on disk is the one being served (no failed reload, file present). */
  ok: boolean;
  versions: string[];
  production: string | null;
  uptimeS: number;
  /** Why the registry on disk is not being served, when ok is false (paths relative to it). */
  registryError?: string;
}

export function registerHealthRoutes(
  app: FastifyInstance,
  store: RegistryStore,
  metrics: ServerMetrics,
): void {
  const startedAtMs = Date.now();

  app.get('/healthz', async (_request, reply): Promise<HealthReport> => {
    const registry = await store.current();
    const error = store.lastError;
    reply.header('cache-control', 'no-store');
    return {
      ok: error === null,
      versions: registry.versions.map((v) => v.entry.version),
      production:
        registry.versions.find((v) => v.entry.stage === 'production')?.entry.version ?? null,
      uptimeS: (Date.now() - startedAtMs) / 1000,
      ...(error === null
        ? {}
        : { registryError: withoutPaths(error, dirname(store.registryPath)) }),
    };
  });

  app.get('/metrics', async (_request, reply) => {
    // Touch the registry so a pending reload (and its counters) shows up in this scrape.
    await store.current();
    reply.header('cache-control', 'no-store').type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
