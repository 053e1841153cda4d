import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The server's own Prometheus registry (not prom-client's global one, so several apps can coexist in tests). */
export interface ServerMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDurationSeconds: Histogram<'method' | 'route' | 'status'>;
  modelBytesServed: Counter<'version'>;
  registryLoads: Counter;
  registryErrors: Counter;
}

export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  return {
    registry,
    httpRequests: new Counter({
      name: 'heimdall_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status code',
      labelNames,
      registers: [registry],
    }),
    httpDurationSeconds: new Histogram({
      name: 'heimdall_http_request_duration_seconds',
      help: 'Time from request to response, by route pattern and status code',
      labelNames,
      registers: [registry],
    }),
    modelBytesServed: new Counter({
      name: 'heimdall_model_bytes_served_total',
      help: 'Bytes of model files read from disk for responses, by model version',
      labelNames: ['version'],
      registers: [registry],
    }),
    registryLoads: new Counter({
      name: 'heimdall_registry_loads_total',
      help: 'Successful loads of registry.json (the first one included)',
      registers: [registry],
    }),
    registryErrors: new Counter({
      name: 'heimdall_registry_load_errors_total',
      help: 'Reloads of registry.json rejected as invalid (the last good registry stayed in service)',
      registers: [registry],
    }),
  };
}

/**
 * Records every response. The route label is the route pattern, never the raw URL, so the number
 * of series stays bounded whatever clients request; unmatched paths share one label.
 */
export function recordHttpMetrics(app: FastifyInstance, metrics: ServerMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDurationSeconds.observe(labels, reply.elapsedTime / 1000);
  });
}
