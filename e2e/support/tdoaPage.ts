/**
 * The TDoA page helpers shared by e2e/tdoa.spec.ts and scripts/bench-tdoa.ts: the real KiwiSDR
 * set (../shared/data/kiwi-dcf77-2020), a real drop on the drop zone, waiting for the heat map to
 * be drawn (the map container's data-tdoa-drawn-at, set on the map's idle after the layers).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

export const KIWI_DIR = join(process.cwd(), '..', 'shared', 'data', 'kiwi-dcf77-2020');
/** DCF77, Mainflingen (the set's README: the coordinates hcab14/TDoA uses). */
export const DCF77 = { lat: 50.0152, lon: 9.0112 };

export const kiwiSetPresent = (): boolean => existsSync(join(KIWI_DIR, 'stations.json'));

export interface NamedBytes {
  name: string;
  buffer: Buffer;
}

/** The three IQ WAVs (sorted by name) and the station list. */
export async function kiwiSet(): Promise<{ wavs: NamedBytes[]; stations: NamedBytes }> {
  const names = (await readdir(KIWI_DIR)).filter((n) => n.endsWith('_iq.wav')).sort();
  const wavs = await Promise.all(
    names.map(async (name) => ({ name, buffer: await readFile(join(KIWI_DIR, name)) })),
  );
  const stations = {
    name: 'stations.json',
    buffer: await readFile(join(KIWI_DIR, 'stations.json')),
  };
  return { wavs, stations };
}

/**
 * Puts the files into the page as File objects (held by a handle, so a timed drop does not
 * include moving megabytes from Node into the page).
 */
export async function stageFiles(page: Page, files: NamedBytes[]) {
  return page.evaluateHandle(
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
}

/**
 * Drops staged files on the drop zone as the browser would; returns the page clock
 * (performance.now) at the drop.
 */
export async function dropStaged(
  page: Page,
  dataTransfer: Awaited<ReturnType<typeof stageFiles>>,
): Promise<number> {
  return page.evaluate((dt) => {
    const zone = document.querySelector('[data-testid=drop-zone]');
    if (!zone) throw new Error('no drop zone');
    const t0 = performance.now();
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(
        new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }),
      );
    }
    return t0;
  }, dataTransfer);
}

/** The run whose result the map shows now ('' when none): pass it to waitForTdoaDrawn. */
export async function drawnRunKey(page: Page): Promise<string> {
  return page.evaluate(
    () => document.querySelector<HTMLElement>('[data-testid=map]')?.dataset.tdoaRunKey ?? '',
  );
}

/**
 * Waits until the map has drawn a TDoA result drawn after `afterMs`; returns when (page clock).
 * With `previousRunKey`, only a result of another run counts: dropping recordings again redraws
 * the earlier result (its scene is still selected) before the new run's result arrives.
 */
export async function waitForTdoaDrawn(
  page: Page,
  afterMs: number,
  timeoutMs = 120_000,
  previousRunKey?: string,
) {
  const handle = await page.waitForFunction(
    ({ after, previous }) => {
      const el = document.querySelector<HTMLElement>('[data-testid=map]');
      const at = Number(el?.dataset.tdoaDrawnAt ?? NaN);
      const key = el?.dataset.tdoaRunKey ?? '';
      const fresh = previous === null || (key !== '' && key !== previous);
      return el?.dataset.tdoaScene && at > after && fresh ? at : false;
    },
    { after: afterMs, previous: previousRunKey ?? null },
    { timeout: timeoutMs, polling: 'raf' },
  );
  return (await handle.jsonValue()) as number;
}

/** Great-circle distance on the 6371 km sphere: enough to check kilometres. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/**
 * Pairs of map labels shown on top of each other (their boxes intersect), by text: none, when
 * the map hides the towns that would cover another label (src/map/declutter.ts).
 */
export async function overlappingLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const shown = [...document.querySelectorAll<HTMLElement>('.map-label')]
      .filter((el) => getComputedStyle(el).visibility !== 'hidden')
      .map((el) => ({ text: el.textContent ?? '', r: el.getBoundingClientRect() }));
    const out: string[] = [];
    shown.forEach((a, i) =>
      shown.slice(i + 1).forEach((b) => {
        const apart =
          a.r.right <= b.r.left ||
          b.r.right <= a.r.left ||
          a.r.bottom <= b.r.top ||
          b.r.bottom <= a.r.top;
        if (!apart) out.push(`${a.text} / ${b.text}`);
      }),
    );
    return out;
  });
}

/** The TDoA estimate the panel shows (its decimal line). */
export async function tdoaEstimate(page: Page): Promise<{ lat: number; lon: number }> {
  const text = (await page.getByTestId('tdoa-decimal').textContent()) ?? '';
  const [lat, lon] = text.split(',').map((s) => Number(s.trim()));
  return { lat, lon };
}

/**
 * The page the TDoA benchmark and trace time drops on: the app at `origin`, the real set's station
 * list stored (IndexedDB), the TDoA tab open, the model ready (TDoA shares its worker), and the
 * recordings staged for dropping.
 */
export async function prepareTdoaDrops(page: Page, origin: string) {
  const { wavs, stations } = await kiwiSet();
  await page.goto(origin);
  // The map starts in seconds, but in minutes on a loaded machine (WebGL on SwiftShader).
  await page.waitForSelector('[data-testid=map][data-engine=maplibre]', { timeout: 180_000 });
  await dropStaged(page, await stageFiles(page, [stations]));
  await page.getByRole('tab', { name: 'Stations' }).click();
  await page.waitForSelector('[data-testid=station-table] tbody tr >> nth=2');
  await page.getByRole('tab', { name: 'TDoA' }).click();
  await page.waitForSelector('[data-testid=engine-status].ready', { timeout: 180_000 });
  return stageFiles(page, wavs);
}

/**
 * Drops the staged recordings and waits for the new run's heat map: the previous drop's result is
 * redrawn when the new recordings replace the old ones, so only a result of another run counts.
 * Returns the drop and the drawing time on the page clock.
 */
export async function timedDrop(
  page: Page,
  staged: Awaited<ReturnType<typeof stageFiles>>,
): Promise<{ t0: number; drawn: number }> {
  const previous = await drawnRunKey(page);
  const t0 = await dropStaged(page, staged);
  const drawn = await waitForTdoaDrawn(page, t0, 120_000, previous);
  return { t0, drawn };
}
