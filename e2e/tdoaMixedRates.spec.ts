/**
 * TDoA in the browser on receivers at two sample rates (issue 12: any receivers): a simulated
 * scene of KiwiSDRs at 12001 Hz and, in their wide mode, 20250 Hz, as kiwirecorder writes them.
 * The worker reads the wide ones at 12001 Hz on their own GPS clocks; every station is used and
 * the panel says which were resampled. And a steady carrier alone, which carries no timing: the
 * panel says so instead of placing it; and AM whose audio is under the noise, placed from its
 * sidebands read against the carrier. And three stations whose hyperbolas cross twice, once near
 * them and once 490 km away where the transmitter is: both crossings are shown. And Fiji, Samoa
 * and Tonga around a transmitter on the antimeridian: the map fits the stations the short way
 * round and draws the heat map across it. Screenshots in test-results/tdoa/ (look at them).
 */
import { expect, test, type Page } from '@playwright/test';
import { simulateTdoaScene, type TdoaScene } from '../src/core/sim/tdoa/scene';
import { sceneFiles } from '../src/core/sim/tdoa/sceneFiles';
import {
  distanceKm,
  dropStaged,
  stageFiles,
  tdoaEstimate,
  waitForTdoaDrawn,
} from './support/tdoaPage';
import {
  CARRIER_SCENE,
  mixedRatesScene,
  PACIFIC_SCENE,
  WEAK_AM_SCENE,
} from '../tests/support/tdoaSceneOptions';

test.describe.configure({ timeout: 360_000 });

/** The scene's recordings and station list dropped on a ready page; the page clock at the drop. */
async function dropScene(page: Page, scene: TdoaScene): Promise<number> {
  const files = sceneFiles(scene);
  const named = [...files.recordings, files.stationsJson].map((f) => ({
    name: f.name,
    buffer: Buffer.from(f.bytes as Uint8Array | string),
  }));
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveClass(/ready/, { timeout: 120_000 });
  return dropStaged(page, await stageFiles(page, named));
}

test('KiwiSDRs at 12001 Hz and 20250 Hz in one scene: every station used, the wide ones resampled', async ({
  page,
}) => {
  const scene = mixedRatesScene();
  const wide = scene.stations.filter((s) => s.nominalRateHz === 20250).map((s) => s.station.id);
  const t0 = await dropScene(page, scene);
  await waitForTdoaDrawn(page, t0);
  await page.getByRole('tab', { name: 'TDoA' }).click();
  await expect(page.getByTestId('tdoa-panel')).toHaveAttribute('data-status', 'done');
  await expect(page.locator('[data-testid=tdoa-stations] tr[data-used=true]')).toHaveCount(4);
  for (const id of wide) {
    await expect(
      page.locator(`[data-testid=tdoa-stations] tr[data-station="${id}"]`),
    ).toContainText("read at 12001 Hz, the scene's lowest sample rate (resampled from 20250 Hz");
  }
  const est = await tdoaEstimate(page);
  const errorKm = distanceKm(est, scene.transmitter);
  console.log(`mixed-rate scene ${scene.id}: ${errorKm.toFixed(3)} km from the transmitter`);
  // 0.30 km when written; the 95 % region is about 1.4 x 1.1 km here.
  expect(errorKm).toBeLessThan(1);
  await page
    .getByTestId('tdoa-stations')
    .screenshot({ path: 'test-results/tdoa/07-mixed-rates-stations.png' });
});

test('a steady carrier alone: the TDoA panel says it carries no timing instead of placing it', async ({
  page,
}) => {
  // Scene 2 of seed 99, as tests/tdoa/steadyCarrier.test.ts draws it (once placed 257 km off).
  const scene = simulateTdoaScene(99, 2, CARRIER_SCENE);
  await dropScene(page, scene);
  await page.getByRole('tab', { name: 'TDoA' }).click();
  await expect(page.getByTestId('tdoa-error')).toContainText(
    'the only signal the stations share is steady (a carrier at',
    { timeout: 120_000 },
  );
  await expect(page.getByTestId('tdoa-error')).toContainText('a steady carrier carries no timing');
  await expect(page.getByTestId('tdoa-coords')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/tdoa/08-steady-carrier.png' });
});

test('AM whose audio is under the noise: placed from its sidebands read against the carrier', async ({
  page,
}) => {
  // Scene 3 of seed 4242, as tests/tdoa/steadyCarrier.test.ts draws it (refused before).
  const scene = simulateTdoaScene(4242, 3, WEAK_AM_SCENE);
  const t0 = await dropScene(page, scene);
  await waitForTdoaDrawn(page, t0);
  await page.getByRole('tab', { name: 'TDoA' }).click();
  await expect(page.getByTestId('tdoa-panel')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('tdoa-band')).toContainText("a carrier's sidebands");
  await expect(page.getByTestId('tdoa-panel')).toContainText('sidebands read against it');
  const est = await tdoaEstimate(page);
  const errorKm = distanceKm(est, scene.transmitter);
  console.log(`weak AM scene ${scene.id}: ${errorKm.toFixed(3)} km from the transmitter`);
  // 1.36 km when written (1.09 km in Node; the bound's median error 0.64 km).
  expect(errorKm).toBeLessThan(3);
  await page.screenshot({ path: 'test-results/tdoa/09-weak-am.png' });
});

test('three stations whose hyperbolas also cross far outside them: both crossings shown', async ({
  page,
}) => {
  // Eval:tdoa seed 11, scene 63 (tests/tdoa/exactSolutions.test.ts): once placed at the crossing
  // near the stations, 428 km from the transmitter, with no word of the other.
  const scene = simulateTdoaScene(11, 63);
  const t0 = await dropScene(page, scene);
  await waitForTdoaDrawn(page, t0);
  await page.getByRole('tab', { name: 'TDoA' }).click();
  await expect(page.getByTestId('tdoa-panel')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('tdoa-modes')).toContainText('The geometry is ambiguous');
  // Said once: the solver's note on the modes is not repeated above their list.
  await expect(page.locator('[data-testid=tdoa-notes]', { hasText: 'ambiguous' })).toHaveCount(0);
  const modes = await page.locator('[data-testid=tdoa-modes] li').allInnerTexts();
  const points = modes.map((t) => {
    const [lat, lon] = t.split('·')[0].split(',').map(Number);
    return { lat, lon };
  });
  console.log(`ambiguous scene ${scene.id}: modes ${modes.join(' | ')}`);
  expect(points.length).toBeGreaterThanOrEqual(2);
  // The far crossing lies off the grid: its part of the 95 % region is an ellipse, given beside it.
  expect(modes.some((t) => /its 95 % region [\d.]+ k?m × [\d.]+ k?m/.test(t))).toBe(true);
  // One of them at the transmitter (2.2 km in Node when written; the bound's median error 1.7 km).
  expect(Math.min(...points.map((p) => distanceKm(p, scene.transmitter)))).toBeLessThan(10);
  await page.getByRole('button', { name: 'Zoom to TDoA' }).click();
  await page.waitForTimeout(2000);
  await page.screenshot({ path: 'test-results/tdoa/13-two-crossings.png' });
});

test('stations on both sides of the antimeridian: fitted the short way round, the heat map drawn', async ({
  page,
}) => {
  // Before: the map fitted 350 degrees of longitude (the stations at its edges, towns of Africa
  // and South America labelled), and a heat map across the antimeridian was refused by the map
  // ("x=-1 ... outside of bounds") and not drawn.
  const scene = simulateTdoaScene(1, 0, PACIFIC_SCENE);
  const t0 = await dropScene(page, scene);
  await waitForTdoaDrawn(page, t0);
  await page.getByRole('tab', { name: 'TDoA' }).click();
  await expect(page.getByTestId('tdoa-panel')).toHaveAttribute('data-status', 'done');
  const est = await tdoaEstimate(page);
  console.log(
    `antimeridian scene: ${est.lat}, ${est.lon}, ${distanceKm(est, scene.transmitter).toFixed(2)} km off`,
  );
  expect(distanceKm(est, scene.transmitter)).toBeLessThan(20);
  await expect(page.locator('.map-error')).toHaveCount(0);
  const map = (await page.getByTestId('map').boundingBox())!;
  for (const id of ['SUVA', 'APIA', 'TONGA']) {
    const label = (await page
      .locator('.map-label:not(.map-label-town)', { hasText: new RegExp(`^${id}$`) })
      .boundingBox())!;
    expect(label.x).toBeGreaterThan(map.x + 20);
    expect(label.x + label.width).toBeLessThan(map.x + map.width - 20);
  }
  // The towns labelled are the islands', not the world's.
  const towns = await page.locator('.map-label-town').allInnerTexts();
  expect(towns.length).toBeGreaterThan(0);
  expect(towns.join(' ')).not.toMatch(/Harare|Cochabamba|Port Louis/);
  await page.screenshot({ path: 'test-results/tdoa/11-antimeridian.png' });
  await page.getByRole('button', { name: 'Zoom to TDoA' }).click();
  await page.waitForTimeout(2000);
  await expect(page.locator('.map-error')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/tdoa/12-antimeridian-heat-map.png' });
});
