import type { Engine } from './engine';
import type { MetricsSnapshot } from './types';

export async function getMetrics(engine: Engine): Promise<MetricsSnapshot> {
  const { pool, cache } = engine;
  // Pinned to the any-network model, that model is the one serving.
  const active = pool.get('active') ?? pool.get('network');
  const staging = pool.get('staging');
  return engine.metrics.snapshot({
    activeVersion: active?.version ?? null,
    stagingVersion: staging?.version ?? null,
    mode: pool.mode,
    executionProvider: active?.executionProvider ?? null,
    cacheEntries: await cache.count(),
    cacheEvictions: cache.evictions,
    cacheExpired: cache.expired,
    versionInfo: (version) => {
      const role = pool.roleOf(version);
      const slot = role ? pool.get(role) : undefined;
      return {
        role: role ?? 'retired',
        ...(slot ? { executionProvider: slot.executionProvider } : {}),
      };
    },
  });
}
