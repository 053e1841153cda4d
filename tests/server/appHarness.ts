/** Starts the app against temp registry/dist folders and tears everything down after each test. */
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { buildApp, type BuildAppOptions } from '../../server/app';
import { makeTempDist, makeTempRegistry, type TempRegistry } from './tempRegistry';

export interface Harness {
  app: FastifyInstance;
  registry: TempRegistry;
  distDir: string;
}

export function useHarness(): (options?: Partial<BuildAppOptions>) => Promise<Harness> {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (options = {}) => {
    const registry = await makeTempRegistry();
    cleanups.push(registry.cleanup);
    const dist = await makeTempDist();
    cleanups.push(dist.cleanup);
    const app = await buildApp({
      registryPath: registry.registryPath,
      distDir: dist.distDir,
      ...options,
    });
    cleanups.push(() => app.close());
    return { app, registry, distDir: dist.distDir };
  };
}
