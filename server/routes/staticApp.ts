import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendJsonError } from './jsonError';

/** Paths the server answers itself; a miss under them is a real 404, never the app shell. */
const API_PREFIXES = ['/api/', '/models/', '/live/'];

/** Vite puts content-hashed files under assets/: a changed file gets a new name, so they never go stale. */
function setCacheHeaders(reply: FastifyReply, filePath: string): void {
  const hashed = filePath.includes(`${sep}assets${sep}`);
  reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * A path gets the app shell (index.html) when it looks like a client-side route: a GET outside the
 * API whose last segment has no file extension. A missing /assets/x.js stays a 404, because
 * answering it with HTML only turns a clear 404 into a confusing MIME-type error in the browser.
 */
function wantsAppShell(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0];
  if (API_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  return !lastSegment.includes('.');
}

/** Serves the Vite build (when given) and answers every unmatched request. */
export async function registerStaticApp(
  app: FastifyInstance,
  distDir: string | undefined,
): Promise<void> {
  if (distDir !== undefined) {
    await app.register(fastifyStatic, {
      root: distDir,
      cacheControl: false, // set per file by setCacheHeaders
      setHeaders: setCacheHeaders,
      // Directory listings and dotfiles are never part of a build.
      list: false,
      dotfiles: 'ignore',
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    // Checked per miss (one stat) so a rebuild that creates index.html needs no restart.
    const hasShell = distDir !== undefined && existsSync(join(distDir, 'index.html'));
    if (hasShell && wantsAppShell(request)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendJsonError(
      reply,
      404,
      'Not Found',
      `${request.method} ${request.url.split('?')[0]} not found`,
    );
  });
}
