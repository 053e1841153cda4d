/**
 * Live TDoA end to end (issue 12 item 7): the simulated network in GPS mode (each receiver at its
 * own true rate, hearing the transmitter after its own time of flight, stamping frames with the
 * GPS time its clock believes) through the relay to the live view, which runs TDoA over the
 * window the operator picks and draws it beside the model's estimate. Screenshot in
 * test-results/live/ (look at it).
 */
import { expect, test } from '@playwright/test';
import { geodesicInverse } from '../src/core/geodesy';
import { startLiveServer, type LiveServer } from './support/liveServer';
import { e2eRegistryPath } from './support/registries';

const TX = { lat: 44.85, lon: 8.25 };
const SCENARIO = {
  physics: 'gentle',
  transmitter: { motion: 'fixed', position: TX },
  keying: { onS: 60, offS: 0 },
  gps: { signal: 'fsk', rateOffsetPpm: 30 },
};

let server: LiveServer;

test.beforeAll(async () => {
  server = await startLiveServer(
    e2eRegistryPath(),
    process.env.HEIMDALL_E2E_DIST ?? 'dist',
    SCENARIO,
  );
});

test.afterAll(async () => {
  await server?.stop();
});

test('live TDoA from GPS-stamped receivers lands near the transmitter, beside the model', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto(`${server.baseURL}/#live`);
  await expect(page.getByTestId('relay-status')).toHaveAttribute('data-state', 'open', {
    timeout: 60_000,
  });
  // The operator picks a 5 s sliding window.
  await page.getByTestId('live-tdoa-window').selectOption('5');
  const map = page.getByTestId('live-map');
  await expect(map).not.toHaveAttribute('data-tdoa-lat', '', { timeout: 180_000 });
  const lat = Number(await map.getAttribute('data-tdoa-lat'));
  const lon = Number(await map.getAttribute('data-tdoa-lon'));
  const errorKm = geodesicInverse(TX, { lat, lon }).distanceM / 1000;
  console.log(`live TDoA: ${lat}, ${lon}, ${errorKm.toFixed(2)} km from the transmitter`);
  expect(errorKm).toBeLessThan(3);
  await expect(page.getByTestId('live-tdoa')).toContainText('3 of 3');
  // The model's estimate is there too (its windows are located as before).
  await expect(page.getByTestId('engine-status')).toHaveClass(/ready/, { timeout: 90_000 });
  await expect(map).not.toHaveAttribute('data-estimate-lon', '', { timeout: 60_000 });
  // Both legends: the model's and what the TDoA layers are.
  await expect(page.getByRole('list', { name: 'TDoA legend' })).toContainText('TDoA estimate');
  await page.screenshot({ path: 'test-results/live/08-live-tdoa.png' });
});
