import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Mapbox GL JS talks to these when an operator configures a Mapbox token (docs.mapbox.com, "CSP directives"). */
const MAPBOX_CONNECT = [
  'https://api.mapbox.com',
  'https://*.tiles.mapbox.com',
  'https://events.mapbox.com',
];

/** A Host header we can put into the policy verbatim: host name or [IPv6], optional port. */
const SAFE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function contentSecurityPolicy(host: string | undefined): string {
  // 'self' covers same-origin ws/wss in CSP 3, but older engines need the scheme spelled out;
  // naming this host keeps the live relay working without opening ws: to every host.
  const sameHostSockets = host && SAFE_HOST.test(host) ? [`ws://${host}`, `wss://${host}`] : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // 'wasm-unsafe-eval': onnxruntime-web compiles its WASM (and mapbox-gl its 3D WASM);
    // it allows WebAssembly compilation only, not JavaScript eval.
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    // The inference worker and maplibre's worker are files of ours; mapbox-gl builds its worker
    // from a blob: URL. child-src is the fallback older engines use for workers.
    'worker-src': ["'self'", 'blob:'],
    'child-src': ["'self'", 'blob:'],
    // maplibre-gl and mapbox-gl position markers and popups with inline style attributes.
    'style-src': ["'self'", "'unsafe-inline'"],
    // Map sprites and canvas snapshots arrive as data: and blob: URLs.
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    // Manifest, model files and the live relay WebSocket are same-origin; Mapbox hosts for tiles.
    'connect-src': ["'self'", ...sameHostSockets, ...MAPBOX_CONNECT],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * Adds the headers every response needs, whatever produced it (static file, API, model bytes, 404,
 * error, routes of plugins registered later such as the live relay). COOP + COEP make the page
 * cross-origin isolated, which onnxruntime-web needs for SharedArrayBuffer and WASM threads; CORP
 * same-origin keeps other sites from embedding our model files. Registered as a root hook before
 * any route so it applies to all of them.
 */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    reply.headers({
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': contentSecurityPolicy(request.headers.host),
    });
  });
}
