/**
 * End-to-end tests against the production build (`npx vite build` first; never the Vite dev
 * server, which re-optimises worker dependencies and reloads mid-test) served by the companion
 * server, in Debian's Chromium. No browser is ever downloaded.
 *
 *   npx vite build && npx playwright test
 *
 * HEIMDALL_E2E_REGISTRY picks the model registry (default: public/models/registry.json when the
 * shipped models exist, else the tiny test models); HEIMDALL_E2E_PORT the port (default: free).
 */
import { defineConfig } from '@playwright/test';
import { freePort, launchOptions } from './e2e/support/browser';
import { e2eRegistryPath } from './e2e/support/registries';

// Test workers load this file again; the environment carries the runner's choices to them.
process.env.HEIMDALL_E2E_PORT ??= String(await freePort());
process.env.HEIMDALL_E2E_REGISTRY ??= e2eRegistryPath();
const port = Number(process.env.HEIMDALL_E2E_PORT);
const registry = process.env.HEIMDALL_E2E_REGISTRY;

export default defineConfig({
  testDir: 'e2e',
  // Two shared cores: one browser at a time keeps timings and WASM start-up sane.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions,
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  webServer: {
    command: `npx tsx server/main.ts --port ${port} --host 127.0.0.1 --registry "${registry}" --dist dist`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
