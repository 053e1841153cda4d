import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Mapbox GL JS talks to these when an operator configures a Mapbox token (docs.mapbox.com, "CSP directives"). */
const MAPBOX_CONNECT = [
  'https://api.mapbox.com',
  'https://*.tiles.mapbox.com',
  'https://events.mapbox.com',
];

/**
 * The policy is the same for every request: built from configuration, never from request headers
 * (a Host value copied into it would let a client shape the policy it is served). 'self' covers
 * same-origin ws: and wss: in CSP Level 3, which every engine the app supports (it needs module
 * workers and WASM SIMD) implements, so the live relay needs no socket sources of its own.
 */
export function contentSecurityPolicy(): string {
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
    'connect-src': ["'self'", ...MAPBOX_CONNECT],
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
  const policy = contentSecurityPolicy();
  app.addHook('onRequest', async (_request: FastifyRequest, reply) => {
    reply.headers({
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': policy,
    });
  });
}
