/**
 * Scenes of any receivers in the browser (issue 13): a simulated scene of five receivers of the
 * operator's own (SigMF files that carry their positions) dropped into the production build, with
 * a lone recording, a second recording of one station and a station without a position among
 * them. The five are located by the any-network model 2.0.0 with its ellipses, the table, map,
 * per-receiver table and spectrograms follow the five, and each bad input says what is wrong
 * while nothing else is lost. Screenshots go to test-results/anyNetwork/ (look at them).
 */
import { expect, test, type Page } from '@playwright/test';
import type { Constellation } from '../src/core/modelMetadata';
import { NETWORK_BAND_HZ } from '../src/core/sim/network';
import { NOMINAL } from '../src/core/sim/physics';
import { simulateScene } from '../src/core/sim/scene';
import { sceneToSigmf } from '../src/core/sim/sigmfWriter';
import { TEST_REGISTRY } from './support/registries';

const SHOTS = 'test-results/anyNetwork';
const ANY_NETWORK_VERSION = '2.0.0';

/** Five receivers of an operator's own around the Alps, none of the shipped network's three. */
const NETWORK: Constellation = {
  id: 'alps',
  name: 'Alpine receivers',
  bandHz: NETWORK_BAND_HZ,
  receivers: [
    { id: 'lugano', name: 'Lugano', lat: 46.0, lon: 8.95 },
    { id: 'sion', name: 'Sion', lat: 46.23, lon: 7.36 },
    { id: 'bergamo', name: 'Bergamo', lat: 45.7, lon: 9.67 },
    { id: 'trento', name: 'Trento', lat: 46.07, lon: 11.12 },
    { id: 'chur', name: 'Chur', lat: 46.85, lon: 9.53 },
  ],
};
const TRANSMITTER = { lat: 46.2, lon: 9.4 };

interface DroppedFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** The SigMF pairs of simulated scene `index` on the network, named `<prefix><receiver>`. */
function sceneFiles(index: number, prefix: string): DroppedFile[] {
  const scene = simulateScene(61, index, {
    constellation: NETWORK,
    physics: NOMINAL,
    sampleRateHz: 12000,
    samples: 9000,
    position: TRANSMITTER,
  });
  return sceneToSigmf(scene, NETWORK).flatMap((pair) => {
    const base = `${prefix}${pair.baseName.split('-').at(-1)}`;
    return [
      { name: `${base}.sigmf-meta`, mimeType: 'application/json', buffer: Buffer.from(pair.meta) },
      {
        name: `${base}.sigmf-data`,
        mimeType: 'application/octet-stream',
        buffer: Buffer.from(pair.data.buffer, pair.data.byteOffset, pair.data.byteLength),
      },
    ];
  });
}

/** A SigMF pair renamed, its metadata changed by `edit`. */
function variant(
  files: DroppedFile[],
  from: string,
  to: string,
  edit: (global: Record<string, unknown>) => void,
): DroppedFile[] {
  return files
    .filter((f) => f.name.startsWith(`${from}.`))
    .map((f) => {
      const name = f.name.replace(from, to);
      if (!name.endsWith('.sigmf-meta')) return { ...f, name };
      const meta = JSON.parse(f.buffer.toString('utf8')) as { global: Record<string, unknown> };
      edit(meta.global);
      return { ...f, name, buffer: Buffer.from(JSON.stringify(meta)) };
    });
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });
const rows = (page: Page) => page.locator('[data-testid=scene-table] tbody tr');

test.skip(
  process.env.HEIMDALL_E2E_REGISTRY === TEST_REGISTRY,
  'the test registry has no any-network model',
);

test('a scene of five receivers is located by the any-network model; bad inputs say why', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveClass(/ready/, { timeout: 90_000 });
  await expect(page.getByTestId('engine-status')).toContainText(`+ ${ANY_NETWORK_VERSION}`);
  await expect(page.locator('.map-label')).toHaveCount(3, { timeout: 90_000 });

  const five = sceneFiles(0, 'net-');
  // A second recording of Lugano in the same scene, and a station nobody knows the place of.
  const twice = variant(five, 'net-lugano', 'net-lugano-again', () => undefined);
  const nowhere = variant(five, 'net-sion', 'net-nowhere', (g) => {
    g['heimdall:receiver_id'] = 'nowhere';
    delete g['core:geolocation'];
  });
  // One receiver alone, a minute later: a scene no model can locate.
  const lone = sceneFiles(3, 'later-').filter((f) => f.name.startsWith('later-chur.'));
  await page.getByTestId('file-input').setInputFiles([...five, ...twice, ...nowhere, ...lone]);

  await expect(rows(page)).toHaveCount(2);
  // Grouped before anything runs: one scene no model can locate, so one to locate.
  await shot(page, '00-five-receivers-grouped');
  await page.getByRole('button', { name: /^Locate 1 scene$/ }).click();
  const fiveRow = rows(page).filter({ has: page.locator('[data-status=done]') });
  await expect(fiveRow).toHaveCount(1, { timeout: 90_000 });
  // Columns follow the stations present: the five, in the order they were heard.
  await expect(page.locator('[data-testid=scene-table] thead th.rx-cell')).toHaveCount(5);
  await expect(fiveRow.locator('.rx-ok')).toHaveCount(5);

  const loneRow = rows(page).filter({ hasNot: page.locator('[data-status=done]') });
  await expect(loneRow.locator('[data-testid=run-status]')).toContainText(
    /SceneIncompleteError: .*1 receiver\(s\).*needs 2 to 12/,
  );
  await expect(
    page.locator('[data-file="net-lugano-again.sigmf-data"] [data-testid=file-error]'),
  ).toContainText(/SceneIncompleteError: .*second recording of receiver lugano/);
  await expect(
    page.locator('[data-file="net-nowhere.sigmf-data"] [data-testid=file-error]'),
  ).toContainText(/ReceiverUnknownError: .*"nowhere" has no position/);

  await fiveRow.locator('button.scene-select').click();
  await expect(page.getByTestId('model-version')).toHaveText(
    `${ANY_NETWORK_VERSION} (any-network)`,
  );
  const ellipses = page.locator('[data-testid=ellipse-table] tbody tr');
  await expect(ellipses).toHaveCount(2);
  await expect(ellipses.first()).toContainText(/\d+(\.\d+)? k?m/);
  await expect(ellipses.last()).toContainText(/\d+(\.\d+)? k?m/);
  await expect(page.locator('[data-testid=receiver-table] tbody tr')).toHaveCount(5);
  await expect(page.locator('[data-testid=receiver-table]')).toContainText('lugano');
  await expect(page.locator('[data-testid=spectrograms] figure.spectrogram canvas')).toHaveCount(5);
  // The map shows the operator's five; the shipped network's three, which no scene uses, are gone.
  await expect(page.locator('.map-label')).toHaveCount(5);
  await page.waitForTimeout(1500); // the map's fit animation
  await shot(page, '01-five-receivers-located');

  await page.locator('.side-column').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await shot(page, '02-five-receivers-spectrograms');
  await page.locator('[data-file="net-nowhere.sigmf-data"]').scrollIntoViewIfNeeded();
  await shot(page, '03-bad-inputs');
  // The lone recording's scene says why no model locates it; the located scene is untouched.
  await loneRow.locator('button.scene-select').click();
  await expect(page.getByTestId('scene-problem')).toContainText('needs 2 to 12');
  await expect(fiveRow.locator('[data-status=done]')).toHaveCount(1);
  await page.locator('.side-column').evaluate((el) => el.scrollTo(0, 0));
  await shot(page, '04-lone-recording');
});
