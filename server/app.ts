import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyServerOptions,
} from 'fastify';
import type { Registry } from 'prom-client';
import { HeimdallError } from '../src/core/errors';
import { addErrorHandler, clientErrorHandler } from './errorHandlers';
import { addHostCheck } from './hostCheck';
import { createHostPolicy, type HostPolicy } from './hostPolicy';
import { createMetrics, recordHttpMetrics } from './metrics';
import { RegistryStore } from './modelRegistry/registryStore';
import { registerHealthRoutes } from './routes/health';
import { registerModelFileRoute } from './routes/modelFile';
import { registerModelsApi } from './routes/modelsApi';
import { registerStaticApp } from './routes/staticApp';
import { addSecurityHeaders } from './securityHeaders';

export interface BuildAppOptions {
  /** registry.json of the model registry. */
  registryPath: string;
  /** The Vite build to serve; without it only the API and model files are served. */
  distDir?: string;
  /** Fastify's logger option: true for JSON lines on stdout, or pino options. Default off. */
  logger?: boolean | object;
  /** Plugins registered after the built-in routes (the live relay); the global hooks cover them. */
  extraPlugins?: FastifyPluginAsync[];
  /**
   * The address the server will listen on (its --host), which decides the Host names it answers
   * (see hostPolicy.ts). Default 127.0.0.1: localhost, 127.0.0.1 and [::1] on the listening port.
   */
  listenHost?: string;
  /** Extra Host names to answer (`name` for any port, or `name:port`), e.g. behind a reverse proxy. */
  allowedHosts?: readonly string[];
}

/**
 * Builds the companion server without listening, so tests drive it with `app.inject`. Throws a
 * HeimdallError when the registry exists but is invalid, or when distDir does not exist.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const distDir = options.distDir === undefined ? undefined : resolve(options.distDir);
  if (distDir !== undefined && !existsSync(distDir)) {
    throw new HeimdallError(
      'ConfigError',
      'the app build folder does not exist; run `npx vite build`',
      distDir,
    );
  }
  const app = Fastify({
    logger: (options.logger ?? false) as FastifyServerOptions['logger'],
    clientErrorHandler,
  });
  // Before any route or plugin, so that every response of every later route gets the headers,
  // and every route (the live WebSocket upgrade included) refuses a foreign Host.
  addSecurityHeaders(app);
  const hostPolicy = createHostPolicy({
    listenHost: options.listenHost ?? '127.0.0.1',
    allowedHosts: options.allowedHosts ?? [],
    port: () => {
      const address = app.server.address();
      return typeof address === 'object' && address !== null ? address.port : undefined;
    },
  });
  addHostCheck(app, hostPolicy);
  addErrorHandler(app);
  app.decorate('hostPolicy', hostPolicy);

  const metrics = createMetrics();
  recordHttpMetrics(app, metrics);
  const store = await RegistryStore.open(options.registryPath, app.log, {
    onReload: () => metrics.registryLoads.inc(),
    onReloadError: () => metrics.registryErrors.inc(),
  });
  app.decorate('modelRegistry', store);
  app.decorate('metricsRegistry', metrics.registry);

  registerModelsApi(app, store);
  registerModelFileRoute(app, store, metrics);
  registerHealthRoutes(app, store, metrics);
  await registerStaticApp(app, distDir);
  for (const plugin of options.extraPlugins ?? []) await app.register(plugin);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The model registry the server answers from, for plugins registered through extraPlugins. */
    modelRegistry: RegistryStore;
    /** The server's Prometheus registry (served at /metrics), for plugins' own metrics. */
    metricsRegistry: Registry;
    /** The Host names the server answers (the live relay checks a browser's Origin against it). */
    hostPolicy: HostPolicy;
  }
}
