/**
 * The operator UI in the production build, served by the companion server, in Chromium: the demo
 * end to end, files dropped and picked, a corrupt file amid good ones, the cache across a reload,
 * a model switch, the exports, keyboard use and layout stability. Screenshots of each state go to
 * test-results/ui/ (look at them).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { simulateToDirectory } from '../src/cli/simulateCommand';
import { TEST_REGISTRY } from './support/registries';

const SHOTS = 'test-results/ui';
/** The demo is 8 scenes (scripts/make-demo.ts); the issue asks the 95 % ellipse to hold the truth in most. */
const DEMO_SCENES = 8;
const MIN_TRUTH_INSIDE_95 = 6;
const trainedModels = process.env.HEIMDALL_E2E_REGISTRY !== TEST_REGISTRY;

let dir: string;
let sceneFiles: { name: string; path: string }[];

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'heimdall-ui-e2e-'));
  // Seeds differ from the demo's, so nothing here is answered from the demo's cache entries.
  await simulateToDirectory({
    scenes: 3,
    seed: 4242,
    out: dir,
    physics: 'nominal',
    durationS: 0.75,
  });
  sceneFiles = (await readdir(dir)).sort().map((name) => ({ name, path: join(dir, name) }));
});
test.afterAll(async () => rm(dir, { recursive: true, force: true }));

const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });
const rows = (page: Page) => page.locator('[data-testid=scene-table] tbody tr');
const status = (row: Locator) => row.locator('[data-testid=run-status]').last();

async function openApp(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveClass(/ready/, { timeout: 90_000 });
  // The offline map is up with the model's receivers (labels are added once the map has loaded).
  // The map starts only once the engine is ready (src/hooks/useMapStart.ts), so on a loaded
  // machine its software-rendered first load can outlast the default wait.
  await expect(page.locator('.map-label')).toHaveCount(3, { timeout: 90_000 });
}

async function runDemo(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Load demo scenes' }).click();
  await expect(rows(page)).toHaveCount(DEMO_SCENES);
  await expect(page.locator('[data-testid=run-status][data-status=done]')).toHaveCount(
    DEMO_SCENES,
    { timeout: 90_000 },
  );
}

async function filesOf(prefix: string) {
  const picked = sceneFiles.filter((f) => f.name.startsWith(prefix));
  return Promise.all(picked.map(async (f) => ({ name: f.name, buffer: await readFile(f.path) })));
}

/** A real drop: a DataTransfer with Files, dispatched on the drop zone as the browser would. */
async function dropFiles(page: Page, files: { name: string; buffer: Buffer }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (encoded) => {
      const dt = new DataTransfer();
      for (const f of encoded) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name));
      }
      return dt;
    },
    files.map((f) => ({ name: f.name, b64: f.buffer.toString('base64') })),
  );
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

test('the map area says it is loading and what it waits for, until the map is drawn', async ({
  page,
  context,
}) => {
  // The model file held back: the engine stays loading, so the map waits (useMapStart.ts).
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let seen = 0;
  await context.route('**/*.onnx', async (route) => {
    seen++;
    await held;
    await route.continue();
  });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  const loading = page.getByTestId('map-loading');
  await expect(loading).toBeVisible();
  await expect(loading).toContainText('Map loading');
  await expect(loading).toContainText('once the model is loaded');
  await expect(page.getByTestId('map')).toHaveAttribute('data-drawn', 'false');
  await expect.poll(() => seen, { timeout: 90_000 }).toBeGreaterThan(0);
  await shot(page, '00-map-loading');
  release();
  await expect(page.getByTestId('engine-status')).toHaveClass(/ready/, { timeout: 90_000 });
  // Drawn in software on a loaded machine: its first frames can take a while.
  await expect(page.getByTestId('map')).toHaveAttribute('data-drawn', 'true', { timeout: 90_000 });
  await expect(loading).toHaveCount(0);
  await expect(page.locator('.map-label')).toHaveCount(3);
  await shot(page, '00-map-drawn');
});

test('demo from the keyboard: estimates stream in without layout shift; the 95 % ellipse holds the truth', async ({
  page,
}) => {
  await openApp(page);
  await shot(page, '01-empty');
  await page.evaluate((sceneCount) => {
    // Every layout shift with what moved (attribution), and when the scene rows appeared. The
    // claim is about results streaming in, so shifts count from the frame after the rows are
    // shown. Measured under load, the scene table appearing (the table growing by its rows and
    // pushing Export and Files down: 0.0227 of a CLS of 0.0268) landed 4.8 s after Enter; CLS
    // leaves out shifts within 500 ms of an input, so that one shift counted on a busy machine
    // only. The measure was fragile; the layout while results stream in was not the cause.
    const w = window as unknown as { __shifts: unknown[]; __rowsShownAtMs: number | null };
    w.__shifts = [];
    w.__rowsShownAtMs = null;
    const watch = new MutationObserver(() => {
      if (document.querySelectorAll('[data-testid=scene-table] tbody tr').length < sceneCount)
        return;
      watch.disconnect();
      // After the frame that drew the rows: its own shift is the table appearing.
      requestAnimationFrame(() => setTimeout(() => (w.__rowsShownAtMs = performance.now())));
    });
    watch.observe(document.body, { subtree: true, childList: true });
    const describe = (n: Node | null) => {
      if (!(n instanceof Element)) return n?.nodeName ?? 'null';
      const id = n.getAttribute('data-testid') ?? n.id;
      const cls = typeof n.className === 'string' ? n.className.split(' ')[0] : '';
      return `${n.tagName.toLowerCase()}${id ? `#${id}` : ''}${cls ? `.${cls}` : ''}`;
    };
    const rect = (r: DOMRectReadOnly) => [r.x, r.y, r.width, r.height].map(Math.round).join(',');
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & {
        value: number;
        hadRecentInput: boolean;
        sources: {
          node: Node | null;
          previousRect: DOMRectReadOnly;
          currentRect: DOMRectReadOnly;
        }[];
      })[]) {
        w.__shifts.push({
          atMs: Math.round(e.startTime),
          value: e.value,
          hadRecentInput: e.hadRecentInput,
          sources: e.sources.map(
            (src) => `${describe(src.node)} ${rect(src.previousRect)} -> ${rect(src.currentRect)}`,
          ),
        });
      }
    }).observe({ type: 'layout-shift', buffered: false });
  }, DEMO_SCENES);
  // Keyboard only: Tab to the demo button (buttons, not divs) and press Enter.
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached =
      (await page.evaluate(() => document.activeElement?.textContent)) === 'Load demo scenes';
  }
  expect(reached).toBe(true);
  const enterAtMs = await page.evaluate(() => performance.now());
  await page.keyboard.press('Enter');
  await expect(rows(page)).toHaveCount(DEMO_SCENES, { timeout: 90_000 });
  await expect(page.locator('[data-testid=run-status][data-status=done]')).toHaveCount(
    DEMO_SCENES,
    { timeout: 90_000 },
  );
  type Shift = { atMs: number; value: number; hadRecentInput: boolean; sources: string[] };
  const { shifts, rowsShownAtMs } = await page.evaluate(() => {
    const w = window as unknown as { __shifts: Shift[]; __rowsShownAtMs: number | null };
    return { shifts: w.__shifts, rowsShownAtMs: w.__rowsShownAtMs };
  });
  expect(rowsShownAtMs).not.toBeNull();
  const since = (ms: number) => Math.round(ms - enterAtMs);
  console.log(`scene rows shown ${since(rowsShownAtMs!)} ms after Enter`);
  for (const sh of shifts)
    console.log(
      `layout shift +${since(sh.atMs)} ms after Enter: ${sh.value.toFixed(4)}` +
        `${sh.hadRecentInput ? ' (after input, not counted)' : ''}; ${sh.sources.join('; ')}`,
    );
  const cls = shifts
    .filter((sh) => !sh.hadRecentInput && sh.atMs > rowsShownAtMs!)
    .reduce((sum, sh) => sum + sh.value, 0);
  console.log(
    `cumulative layout shift while ${DEMO_SCENES} results streamed in: ${cls.toFixed(4)}`,
  );
  expect(cls).toBeLessThan(0.01);
  await expect(page.getByTestId('estimate-lat')).not.toHaveText('–');
  await expect(page.getByTestId('estimate-locator')).toHaveText(/^[A-R]{2}\d{2}[a-x]{2}$/);
  await expect(page.locator('[data-testid=spectrograms] canvas')).toHaveCount(3);
  await shot(page, '02-demo-result');

  let inside95 = 0;
  for (let i = 0; i < DEMO_SCENES; i++) {
    await rows(page).nth(i).getByRole('button').first().click();
    const cell = page.getByTestId('truth-inside-95');
    await expect(cell).toHaveText(/^(yes|no)$/);
    if ((await cell.textContent()) === 'yes') inside95++;
  }
  console.log(
    `truth inside the 95 % ellipse in ${inside95} of ${DEMO_SCENES} demo scenes (trained models: ${trainedModels})`,
  );
  await shot(page, '03-demo-last-scene');
  await page.locator('.side-column').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await shot(page, '04-spectrograms-and-timings');
  // Untrained test models (no shipped models yet) cannot be held to coverage.
  if (trainedModels) expect(inside95).toBeGreaterThanOrEqual(MIN_TRUTH_INSIDE_95);
});

test('three dropped recordings make a scene, shown before it runs, then located', async ({
  page,
}) => {
  await openApp(page);
  await dropFiles(page, await filesOf('s00000-'));
  await expect(rows(page)).toHaveCount(1);
  // The grouping is shown before anything runs: all three receivers present, not yet located.
  await expect(rows(page).first().locator('.rx-ok')).toHaveCount(3);
  await expect(status(rows(page).first())).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('estimate-lat')).toHaveText('–');
  await shot(page, '05-dropped-grouped');
  await page.getByRole('button', { name: /^Locate 1 scene$/ }).click();
  await expect(status(rows(page).first())).toHaveAttribute('data-status', 'done', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('estimate-lat')).toHaveText(/° [NS]$/);
  await expect(page.getByTestId('model-version')).toHaveText(/^\d+\.\d+\.\d+ /);
  await shot(page, '06-dropped-located');
});

test('one recording removed from the keyboard: its scene is to be located again, the other keeps its result', async ({
  page,
}) => {
  await openApp(page);
  await dropFiles(page, [...(await filesOf('s00000-')), ...(await filesOf('s00001-'))]);
  await expect(rows(page)).toHaveCount(2);
  await page.getByRole('button', { name: /^Locate 2 scenes$/ }).click();
  await expect(page.locator('[data-testid=run-status][data-status=done]')).toHaveCount(2, {
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Remove s00000-genova.sigmf-data' }).press('Enter');
  await expect(page.locator('[data-testid=file-list] > li')).toHaveCount(5);
  await expect(page.locator('[data-file="s00000-genova.sigmf-data"]')).toHaveCount(0);
  const changed = rows(page).filter({ has: page.locator('.rx-missing') });
  await expect(changed).toHaveCount(1);
  await expect(status(changed)).not.toHaveAttribute('data-status', 'done');
  const other = rows(page).filter({ hasNot: page.locator('.rx-missing') });
  await expect(status(other)).toHaveAttribute('data-status', 'done');
  await shot(page, '06b-recording-removed');
});

test('a missing receiver is shown before running, and the operator can reassign a recording', async ({
  page,
}) => {
  await openApp(page);
  const files = (await filesOf('s00001-')).map((f) => ({
    // Renamed and stripped of the receiver id so nothing but its position could match it ...
    name: f.name.replace('s00001-genova', 'unknown-site'),
    buffer:
      f.name.startsWith('s00001-genova') && f.name.endsWith('meta')
        ? stripReceiver(f.buffer)
        : f.buffer,
  }));
  await page
    .getByTestId('file-input')
    .setInputFiles(
      files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: f.buffer })),
    );
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first().locator('.rx-missing')).toHaveCount(1);
  await expect(
    page.locator('[data-file="unknown-site.sigmf-data"] [data-testid=file-error]'),
  ).toContainText('ReceiverUnknownError');
  await shot(page, '07-missing-receiver');
  await page.getByLabel('Receiver of unknown-site.sigmf-data').selectOption('genova');
  await expect(rows(page).first().locator('.rx-ok')).toHaveCount(3);
  await page.getByRole('button', { name: /^Locate 1 scene$/ }).click();
  await expect(status(rows(page).first())).toHaveAttribute('data-status', 'done', {
    timeout: 60_000,
  });
});

/** One RFC 4180 line: commas separate, double quotes enclose, "" is a quote. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell);
  return cells;
}

/** SigMF metadata without receiver id and position (so only the operator can place it). */
function stripReceiver(meta: Buffer): Buffer {
  const m = JSON.parse(meta.toString('utf8')) as { global: Record<string, unknown> };
  delete m.global['heimdall:receiver_id'];
  delete m.global['core:geolocation'];
  return Buffer.from(JSON.stringify(m));
}

test('a headerless cu8 file asks for its parameters, then opens', async ({ page }) => {
  await openApp(page);
  // The Genova recording of scene s00002 as RTL-SDR bytes: unsigned 8-bit, 127.5 = zero.
  const cf32 = (await filesOf('s00002-genova.sigmf-data'))[0].buffer;
  const iq = new Float32Array(cf32.buffer, cf32.byteOffset, cf32.byteLength / 4);
  const peak = iq.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const cu8 = Buffer.from(Array.from(iq, (v) => Math.round(127.5 + (127 * v) / peak)));
  await page
    .getByTestId('file-input')
    .setInputFiles({ name: 'genova.cu8', mimeType: 'application/octet-stream', buffer: cu8 });
  const dialog = page.getByRole('dialog', { name: 'Raw IQ parameters' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Sample format')).toHaveValue('cu8');
  await dialog.getByLabel('Sample rate (kHz)').fill('12');
  await dialog.getByLabel('Capture time (UTC)').fill('2026-01-01T12:00:20');
  await shot(page, '08a-raw-parameters');
  await dialog.getByRole('button', { name: 'Open' }).click();
  await expect(dialog).toBeHidden();
  const entry = page.locator('[data-file="genova.cu8"]');
  await expect(entry).toContainText('raw · cu8 · 12.0 kHz · 2026-01-01 12:00:20 UTC');
  await expect(entry.getByRole('combobox')).toContainText('auto: Genova');
  // One receiver of three: the scene is listed with the two that are missing.
  await expect(rows(page).first()).toContainText('missing Aquila di Giaveno, Milano-Baggio');
});

test('a corrupt file shows its error next to it while the other scenes complete', async ({
  page,
}) => {
  // Scene s00001 keeps 100 samples of one recording: fewer than one model window.
  const files = (await filesOf('s0000')).map((f) =>
    f.name === 's00001-genova.sigmf-data' ? { ...f, buffer: f.buffer.subarray(0, 800) } : f,
  );
  files.push({
    name: 'garbage.wav',
    buffer: Buffer.from('RIFF\u0000\u0000not really a wave file at all'),
  });

  await openApp(page);
  await page
    .getByTestId('file-input')
    .setInputFiles(
      files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: f.buffer })),
    );
  await expect(page.locator('[data-file="garbage.wav"] [data-testid=file-error]')).toBeVisible();
  await expect(rows(page)).toHaveCount(3);
  await page.getByRole('button', { name: /^Locate 3 scenes$/ }).click();
  await expect(page.locator('[data-testid=run-status][data-status=done]')).toHaveCount(2, {
    timeout: 60_000,
  });
  const failed = rows(page).nth(1);
  await expect(status(failed)).toHaveAttribute('data-status', 'error');
  await expect(failed).toContainText(/TooShortError|TruncatedFileError/);
  await expect(failed).toContainText('s00001-genova.sigmf-data');
  await expect(page.getByTestId('batch-bar')).toContainText('2/3 done, 1 failed');
  await shot(page, '08-corrupt-file');
});

test('after a reload the same recordings are answered from the cache at once', async ({ page }) => {
  await openApp(page);
  await runDemo(page);
  await expect(page.locator('[data-testid=cache-status]')).toHaveText('miss');
  await page.reload();
  await expect(page.getByTestId('engine-status')).toHaveClass(/ready/, { timeout: 90_000 });
  const t0 = Date.now();
  await runDemo(page);
  console.log(
    `demo after reload: ${DEMO_SCENES} scenes answered in ${Date.now() - t0} ms (fetch + open + cache)`,
  );
  await expect(page.locator('[data-testid=run-status]', { hasText: 'cache hit' })).toHaveCount(
    DEMO_SCENES,
  );
  await expect(page.getByTestId('cache-status')).toHaveText('hit');
  await page.getByRole('tab', { name: 'Metrics' }).click();
  await expect(page.getByTestId('metrics-hit-rate')).toContainText('100 %');
  await shot(page, '09-metrics-after-reload');
});

test('switching the model version changes the model that answers', async ({ page }) => {
  await openApp(page);
  await runDemo(page);
  const before = ((await page.getByTestId('model-version').textContent()) ?? '').split(' ')[0];
  await page.getByRole('tab', { name: 'Models' }).click();
  // The panel loads when first shown (React.lazy): read its cards once they are there, or the
  // skip below would fire on an empty panel.
  const cards = page.locator('[data-testid=model-panel] [data-version]');
  await expect(cards.first()).toBeVisible();
  const versions = await cards.evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-version')!),
  );
  const other = versions.find((v) => v !== before);
  test.skip(!other, 'the registry lists one version only');
  await shot(page, '10-models');
  await page.getByRole('button', { name: `Use ${other}` }).click();
  await expect(page.getByTestId('engine-status')).toHaveText(
    new RegExp(`Model ${other!.replaceAll('.', '\\.')}`),
    { timeout: 90_000 },
  );
  await page.getByRole('tab', { name: 'Result' }).click();
  // The located scenes run again on the pinned version.
  await expect(page.getByTestId('model-version')).toHaveText(
    new RegExp(`^${other!.replaceAll('.', '\\.')} \\(pinned\\)`),
    {
      timeout: 90_000,
    },
  );
  await expect(page.getByTestId('batch-bar')).toContainText(`${DEMO_SCENES}/${DEMO_SCENES} done`);
  await shot(page, '11-switched-version');
});

test('exports parse and carry the results shown', async ({ page }) => {
  await openApp(page);
  await runDemo(page);
  const shown = (await page.getByTestId('estimate-decimal').textContent())!.split(',').map(Number);
  const sceneId = (await page.getByTestId('result-panel').getAttribute('data-scene-id'))!;
  const save = async (label: string) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: label, exact: true }).click(),
    ]);
    return readFile((await download.path())!, 'utf8');
  };

  const geojson = JSON.parse(await save('GeoJSON')) as {
    features: {
      geometry: { type: string; coordinates: number[] };
      properties: Record<string, unknown>;
    }[];
  };
  const points = geojson.features.filter((f) => f.properties.kind === 'estimate');
  expect(points).toHaveLength(DEMO_SCENES);
  const mine = points.find((f) => f.properties.scene === sceneId)!;
  expect(mine.geometry.coordinates[1]).toBeCloseTo(shown[0], 5);
  expect(mine.geometry.coordinates[0]).toBeCloseTo(shown[1], 5);
  expect(mine.properties.locator).toBe(await page.getByTestId('estimate-locator').textContent());

  const csv = (await save('CSV')).trim().split(/\r?\n/).map(splitCsvLine);
  expect(csv).toHaveLength(DEMO_SCENES + 1);
  const header = csv[0];
  const row = csv.find((cells) => cells[0] === sceneId)!;
  expect(Number(row[header.indexOf('lat')])).toBeCloseTo(shown[0], 5);
  expect(Number(row[header.indexOf('lon')])).toBeCloseTo(shown[1], 5);

  const kml = await save('KML');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const points = [...doc.getElementsByTagName('Point')].map((p) =>
      p.getElementsByTagName('coordinates')[0].textContent!.trim().split(',').map(Number),
    );
    return { error: doc.querySelector('parsererror') !== null, points };
  }, kml);
  expect(parsed.error).toBe(false);
  expect(parsed.points.length).toBeGreaterThanOrEqual(DEMO_SCENES);
  expect(
    parsed.points.some(
      ([lon, lat]) => Math.abs(lat - shown[0]) < 1e-5 && Math.abs(lon - shown[1]) < 1e-5,
    ),
  ).toBe(true);
});

test('settings persist across visits; Mapbox without a token says so and MapLibre stays offline', async ({
  page,
}) => {
  await openApp(page);
  await expect(page.getByTestId('map')).toHaveAttribute('data-engine', 'maplibre');
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByLabel('Cache size (results)').fill('123');
  await page.getByLabel('Map engine').selectOption('mapbox');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.map-error')).toContainText('Mapbox access token');
  await shot(page, '12-settings-mapbox-no-token');
  await page.reload();
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByLabel('Cache size (results)')).toHaveValue('123');
  await page.getByLabel('Map engine').selectOption('maplibre');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('map')).toHaveAttribute('data-engine', 'maplibre');
  await expect(page.locator('.map-error')).toHaveCount(0);
});

test('the operator sets the A/B split in this browser; it re-locates, persists, and resets to the server', async ({
  page,
}) => {
  await openApp(page);
  await runDemo(page);
  await page.getByRole('tab', { name: 'Models' }).click();
  // The panel loads when first shown (React.lazy): count its cards only once they are there.
  await expect(page.locator('[data-testid=model-panel] [data-version]').first()).toBeVisible();
  const split = page.getByTestId('ab-split');
  const stagingCard = page.locator('[data-testid=model-panel] [data-version]', {
    has: page.locator('.badge.staging'),
  });
  test.skip((await stagingCard.count()) === 0, 'the registry has no staging version');
  const staging = (await stagingCard.first().getAttribute('data-version'))!;
  await expect(page.getByTestId('ab-effective')).toContainText('the server’s weights');

  await split.getByLabel('Staging share').fill('100');
  await split.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('engine-status')).toContainText(`/ ${staging} (A/B)`, {
    timeout: 90_000,
  });
  await expect(page.getByTestId('ab-effective')).toContainText('100 %');
  await expect(page.getByTestId('ab-effective')).toContainText('set in this browser');
  await expect(stagingCard.first()).toContainText('100 % here');
  await shot(page, '14-ab-split-local');
  // Every located scene ran again, and at a 100 % share each answer comes from staging.
  await page.getByRole('tab', { name: 'Result' }).click();
  await expect(page.getByTestId('batch-bar')).toContainText(`${DEMO_SCENES}/${DEMO_SCENES} done`, {
    timeout: 90_000,
  });
  await expect(page.getByTestId('model-version')).toHaveText(
    new RegExp(`^${staging.replaceAll('.', '\\.')} \\(staging\\)`),
    { timeout: 90_000 },
  );

  await page.reload();
  await expect(page.getByTestId('engine-status')).toContainText(`/ ${staging} (A/B)`, {
    timeout: 90_000,
  });
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(page.getByTestId('ab-effective')).toContainText('set in this browser');
  await split.getByLabel('Staging share').fill('250');
  await expect(split.getByRole('button', { name: 'Apply' })).toBeDisabled();
  await expect(split).toContainText('from 0 to 100');
  await split.getByRole('button', { name: 'Use the server’s weights' }).click();
  await expect(page.getByTestId('ab-effective')).toContainText('the server’s weights');
  await expect(page.getByTestId('engine-status')).toHaveClass(/ready/, { timeout: 90_000 });
});

test('cancel stops a running batch; the cancelled scenes can be located afterwards', async ({
  page,
}) => {
  test.setTimeout(360_000);
  await openApp(page);
  // Queue a long run of predictions in the worker first (recordings opened through the bridge,
  // cache bypassed, so every one is real work), so the demo batch waits behind them long enough
  // to be cancelled mid-way. Tiny messages: the page and the worker stay responsive.
  const files = (await filesOf('')).map((f) => ({
    name: f.name,
    b64: f.buffer.toString('base64'),
  }));
  await page.evaluate(async (files) => {
    const bridge = window.__heimdall!;
    const opened = await bridge.openFiles(
      files.map((f) => new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name)),
    );
    const [scene] = (await bridge.groupScenes({ recordingIds: opened.recordings.map((r) => r.id) }))
      .scenes;
    const recordingIds = scene.recordingIds as string[];
    const runs = Array.from({ length: 3000 }, (_, k) =>
      bridge
        .predictScene(
          { sceneId: `load-${k}`, recordingIds },
          { cache: 'bypass', requestId: `load-${k}` },
        )
        .catch(() => undefined),
    );
    (window as unknown as { __load: Promise<unknown> }).__load = Promise.all(runs);
  }, files);
  const clickedAt = Date.now();
  await page.getByRole('button', { name: 'Load demo scenes' }).click();
  // The demo's files open in the worker between those predictions: on a busy machine (load
  // average 20 on 2 cores) that took over 30 s, so the margin here is generous, and printed.
  await expect(rows(page)).toHaveCount(DEMO_SCENES, { timeout: 150_000 });
  console.log(`cancel: demo scenes listed ${Date.now() - clickedAt} ms after the click`);
  const cancel = page.getByTestId('batch-bar').getByRole('button', { name: 'Cancel' });
  await expect(cancel).toBeEnabled();
  await cancel.click();
  await expect(page.locator('.notice')).toContainText(/Cancelled; \d+ located/);
  await expect(cancel).toBeDisabled();
  const cancelled = await page.locator('[data-testid=run-status][data-status=cancelled]').count();
  const done = await page.locator('[data-testid=run-status][data-status=done]').count();
  console.log(`cancel: ${cancelled} cancelled, ${done} located of ${DEMO_SCENES}`);
  expect(cancelled).toBeGreaterThan(0);
  expect(cancelled + done).toBe(DEMO_SCENES);
  await shot(page, '15-cancelled');
  await page.evaluate(async () => {
    const bridge = window.__heimdall!;
    await Promise.all(Array.from({ length: 3000 }, (_, k) => bridge.cancel(`load-${k}`)));
    await (window as unknown as { __load: Promise<unknown> }).__load;
  });
  await page.getByRole('button', { name: `Locate ${cancelled} scene` }).click();
  await expect(page.locator('[data-testid=run-status][data-status=done]')).toHaveCount(
    DEMO_SCENES,
    { timeout: 90_000 },
  );
});
