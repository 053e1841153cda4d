import { describe, expect, it } from 'vitest';
import { useHarness } from './appHarness';

/** The value of one sample line of the Prometheus text format, 0 when the series is absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('GET /metrics', () => {
  const start = useHarness();

  it('exposes the server counters and default process metrics in Prometheus text format', async () => {
    const { app } = await start();
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
    for (const name of [
      'heimdall_http_requests_total',
      'heimdall_http_request_duration_seconds',
      'heimdall_model_bytes_served_total',
      'heimdall_registry_loads_total',
      'heimdall_registry_load_errors_total',
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(res.body).toContain(`# TYPE ${name} `);
    }
    expect(sample(res.body, 'heimdall_registry_loads_total')).toBe(1);
  });

  it('counts requests by route and status, model bytes and registry reloads', async () => {
    const { app, registry } = await start();
    const before = (await app.inject({ url: '/metrics' })).body;
    await app.inject({ url: '/api/models' });
    await app.inject({ url: '/api/models' });
    await app.inject({ url: '/api/models/0.0.1' });
    await app.inject({ url: '/models/1.0.0/model.onnx' });
    await app.inject({ url: '/models/1.0.0/model.onnx', headers: { range: 'bytes=0-99' } });
    await registry.writeRegistryText('not json');
    await app.inject({ url: '/api/models' });
    await registry.writeRegistryText(JSON.stringify({ schema: 'heimdall.registry/1', models: [] }));
    const after = (await app.inject({ url: '/metrics' })).body;

    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(
      delta('heimdall_http_requests_total{method="GET",route="/api/models",status="200"}'),
    ).toBe(3);
    expect(
      delta('heimdall_http_requests_total{method="GET",route="/api/models/:version",status="404"}'),
    ).toBe(1);
    expect(
      delta(
        'heimdall_http_requests_total{method="GET",route="/models/:version/:file",status="206"}',
      ),
    ).toBe(1);
    expect(
      delta(
        'heimdall_http_request_duration_seconds_count{method="GET",route="/api/models",status="200"}',
      ),
    ).toBe(3);
    expect(delta('heimdall_model_bytes_served_total{version="1.0.0"}')).toBe(4096 + 100);
    expect(delta('heimdall_registry_load_errors_total')).toBe(1);
    expect(delta('heimdall_registry_loads_total')).toBe(1);
  });
});

describe('GET /healthz', () => {
  const start = useHarness();

  it('reports ok, the versions, the production version and uptime', async () => {
    const { app } = await start();
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({ ok: true, versions: ['1.0.0', '1.1.0'], production: '1.0.0' });
    expect(body.uptimeS).toBeGreaterThanOrEqual(0);
    expect(body.uptimeS).toBeLessThan(60);
    expect(body).not.toHaveProperty('registryError');
  });
});
