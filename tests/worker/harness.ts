/**
 * Runs the worker API in process, the way the page reaches it: comlink over a MessageChannel
 * (`expose(api, port2)` / `wrap(port1)`), onnxruntime-web's Node build, fake-indexeddb, and a
 * fetch double that answers from the real companion server (buildApp + inject, no socket).
 */
import 'fake-indexeddb/auto';
import { expose, wrap, type Remote } from 'comlink';
import type { FastifyInstance } from 'fastify';
import { copyRegistry, TEST_REGISTRY, type RegistryCopy } from '../../e2e/support/registries';
import { buildApp } from '../../server/app';
import type { RegistryEntry } from '../../src/core/modelMetadata';
import { createInferenceApi, type InferenceApi } from '../../workers/api';

export const SERVER = 'http://heimdall.test';

export interface ServerDouble {
  app: FastifyInstance;
  fetch: typeof fetch;
  /** Paths requested so far, in order. */
  requests: string[];
  /** When true, every request fails as if the network were down. */
  offline: boolean;
  close(): Promise<void>;
}

const NO_BODY = new Set([101, 204, 205, 304]);

export async function serverDouble(registryPath: string): Promise<ServerDouble> {
  const app = await buildApp({ registryPath });
  const double: ServerDouble = {
    app,
    requests: [],
    offline: false,
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (double.offline) throw new TypeError('Failed to fetch');
      double.requests.push(url.pathname);
      const res = await app.inject({
        method: 'GET',
        url: url.pathname + url.search,
        headers: init?.headers as Record<string, string>,
      });
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) headers.set(k, String(v));
      return new Response(NO_BODY.has(res.statusCode) ? null : new Uint8Array(res.rawPayload), {
        status: res.statusCode,
        headers,
      });
    },
    close: () => app.close(),
  };
  return double;
}

export interface Connected {
  api: Remote<InferenceApi>;
  close(): Promise<void>;
}

let nextDb = 1;

/** A fresh engine (own IndexedDB names unless `storagePrefix` is given) behind a MessageChannel. */
export async function connect(
  fetchFn: typeof fetch,
  opts: {
    storagePrefix?: string;
    now?: () => number;
    config?: Parameters<InferenceApi['configure']>[0];
  } = {},
): Promise<Connected> {
  const local = createInferenceApi({
    fetch: fetchFn,
    storagePrefix: opts.storagePrefix ?? `test-${process.pid}-${nextDb++}`,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const { port1, port2 } = new MessageChannel();
  expose(local, port2);
  const api = wrap<InferenceApi>(port1);
  await api.configure({ serverUrl: SERVER, epPreference: ['wasm'], ...opts.config });
  return {
    api,
    async close() {
      await api.dispose();
      port1.close();
      port2.close();
    },
  };
}

export function uniquePrefix(name: string): string {
  return `${name}-${process.pid}-${nextDb++}`;
}

/** A copy of the test registry (optionally with another model list), its server and an engine. */
export interface RegistryRig {
  registry: RegistryCopy;
  server: ServerDouble;
  engine: Connected;
  close(): Promise<void>;
}

export async function registryRig(models?: RegistryEntry[]): Promise<RegistryRig> {
  const registry = await copyRegistry(TEST_REGISTRY, models);
  const server = await serverDouble(registry.registryPath);
  const engine = await connect(server.fetch);
  return {
    registry,
    server,
    engine,
    async close() {
      await engine.close();
      await server.close();
      await registry.cleanup();
    },
  };
}
