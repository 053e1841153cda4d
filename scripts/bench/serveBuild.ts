/** A production build served by the companion server on a free local port, logging every path. */
import { freePort } from '../../e2e/support/browser';
import { e2eRegistryPath } from '../../e2e/support/registries';
import { buildApp } from '../../server/app';

export interface ServedBuild {
  origin: string;
  /** Paths answered (query strings dropped); visit() empties it before each visit. */
  served: string[];
  close: () => Promise<void>;
}

export async function serveBuild(distDir: string): Promise<ServedBuild> {
  const served: string[] = [];
  const app = await buildApp({ registryPath: e2eRegistryPath(), distDir });
  app.addHook('onRequest', async (request) => {
    served.push(request.url.split('?')[0]);
  });
  const origin = await app.listen({ port: await freePort(), host: '127.0.0.1' });
  return { origin, served, close: () => app.close() };
}
