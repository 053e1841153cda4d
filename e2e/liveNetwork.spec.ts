/**
 * The live view on a configured network of five simulated receivers that are not the fixed
 * model's network (issue 13 item 5): the relay streams them at their configured positions, the
 * page shows a receiver card and a waterfall each and the receivers on the map, and the worker
 * locates each window with the any-network model 2.0.0. Needs the shipped registry (2.0.0).
 * Screenshots go to test-results/live-network/ (look at them).
 */
import { expect, test, type Page } from '@playwright/test';
import { geodesicInverse } from '../src/core/geodesy';
import { startLiveServer, type LiveServer } from './support/liveServer';
import { SHIPPED_REGISTRY } from './support/registries';

const SHOTS = 'test-results/live-network';
const distDir = process.env.HEIMDALL_E2E_DIST ?? 'dist';

/** Five receivers around Lyon, about 200 km across. */
const STATIONS = [
  { id: 'lyon', name: 'Lyon', lat: 45.76, lon: 4.84 },
  { id: 'grenoble', name: 'Grenoble', lat: 45.19, lon: 5.72 },
  { id: 'macon', name: 'Macon', lat: 46.31, lon: 4.83 },
  { id: 'st-etienne', name: 'Saint-Etienne', lat: 45.44, lon: 4.39 },
  { id: 'bourg', name: 'Bourg-en-Bresse', lat: 46.2, lon: 5.23 },
];

/** Slowly west to east through the middle of the network; strong, gentle physics. */
const SCENARIO = {
  kind: 'nbfm',
  physics: 'gentle',
  transmitter: {
    motion: 'moving',
    from: { lat: 45.75, lon: 4.6 },
    to: { lat: 45.75, lon: 5.5 },
    speedMps: 300,
  },
  keying: { onS: 60, offS: 2 },
};

let server: LiveServer;

test.beforeAll(async () => {
  server = await startLiveServer(SHIPPED_REGISTRY, distDir, SCENARIO, {
    receivers: STATIONS.map((s) => ({ ...s, source: 'simulated' })),
  });
});

test.afterAll(async () => {
  await server?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });

test('five configured receivers stream, show on the map, and 2.0.0 locates their windows', async ({
  page,
}) => {
  await page.goto(`${server.baseURL}/#live`);
  await expect(page.getByTestId('engine-status')).toHaveClass(/ready/, { timeout: 90_000 });
  await expect(page.getByTestId('relay-status')).toHaveAttribute('data-state', 'open');
  // One card and one waterfall per configured receiver, in the relay's order; none of the fixed
  // model's receivers.
  for (const [i, s] of STATIONS.entries()) {
    const card = page.getByTestId(`receiver-${s.id}`);
    await expect(card).toContainText(s.name);
    await expect(card.getByTestId('receiver-state')).toHaveAttribute('data-state', 'streaming', {
      timeout: 20_000,
    });
    await expect
      .poll(async () => Number(await page.getByTestId(`waterfall-${i}`).getAttribute('data-rows')))
      .toBeGreaterThan(20);
  }
  await expect(page.getByTestId('receiver-genova')).toHaveCount(0);

  const map = page.getByTestId('live-map');
  await expect
    .poll(async () => Number(await map.getAttribute('data-estimates')), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('live-estimate')).toContainText('2.0.0');
  // Errors of the last estimates against the truth at the time, printed (and loosely bounded:
  // the network is 200 km across, the transmitter inside it).
  const errorsKm: number[] = [];
  for (let k = 0; k < 8; k++) {
    const at = async (name: string) => Number(await map.getAttribute(name));
    const estimate = { lat: await at('data-estimate-lat'), lon: await at('data-estimate-lon') };
    const truth = { lat: await at('data-truth-lat'), lon: await at('data-truth-lon') };
    errorsKm.push(geodesicInverse(estimate, truth).distanceM / 1000);
    await page.waitForTimeout(800);
  }
  errorsKm.sort((a, b) => a - b);
  console.log(
    `live 5-receiver network: ${await map.getAttribute('data-estimates')} estimates, ` +
      `error to truth median ${errorsKm[4].toFixed(1)} km (min ${errorsKm[0].toFixed(1)}, max ${errorsKm[7].toFixed(1)})`,
  );
  await shot(page, '01-five-receivers-located');
  expect(errorsKm[4]).toBeLessThan(100);
  expect(Number(await page.getByTestId('located').textContent())).toBeGreaterThanOrEqual(5);
});
