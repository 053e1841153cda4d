/**
 * The station list in the browser (issue 12, item 1): the operator adds, edits and deletes
 * stations, typing coordinates as they come (degrees-minutes-seconds, a decimal comma, a pair
 * pasted into one field), exports and imports the JSON, and finds the list again after a reload.
 * What cannot be read is refused with the reason and nothing is saved. Needs no shared data.
 * Screenshots go to test-results/stations/ (look at them).
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';

const SHOTS = 'test-results/stations';

const rows = (page: Page) => page.locator('[data-testid=station-table] tbody tr[data-station]');
const row = (page: Page, id: string) =>
  page.locator(`[data-testid=station-table] tr[data-station="${id}"]`);
const cells = async (page: Page, id: string) =>
  (await row(page, id).locator('td').allTextContents()).slice(0, 4);

test('the station list: add, edit, delete, export and import, coordinates as operators write them', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  await page.getByRole('tab', { name: 'Stations' }).click();
  await expect(page.getByTestId('station-panel')).toContainText('No stations yet');

  // A new station with its latitude forgotten: refused, saying so (it used to be saved at 0).
  await page.getByRole('button', { name: 'Add station' }).click();
  const editor = page.locator('[data-station-editor=new]');
  await editor.getByLabel('Station id').fill('HB9ODP');
  await editor.getByLabel('Longitude').fill('8.798828');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('station-error')).toContainText(
    'ConfigError: station HB9ODP: the latitude is empty',
  );
  await expect(rows(page)).toHaveCount(0);
  await editor.getByLabel('Latitude').fill('8.8 E');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('station-error')).toContainText(
    `the latitude "8.8 E" has E, a longitude's hemisphere`,
  );
  await page.getByTestId('station-panel').screenshot({ path: `${SHOTS}/01-refused.png` });

  // Degrees, minutes and seconds as a station page gives them: 46.499351 N.
  await editor.getByLabel('Latitude').fill(`46°29'57.6636"N`);
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByTestId('station-error')).toHaveCount(0);
  expect(await cells(page, 'HB9ODP')).toEqual(['HB9ODP', '46.49935', '8.79883', '']);

  // A pair pasted into the latitude field, the longitude left empty.
  await page.getByRole('button', { name: 'Add station' }).click();
  await editor.getByLabel('Station id').fill('pa0rdt');
  await editor.getByLabel('Latitude').fill('52.1234, 5.4321');
  await editor.getByLabel('Name').fill('Utrecht');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(rows(page)).toHaveCount(2);
  expect(await cells(page, 'pa0rdt')).toEqual(['pa0rdt', '52.12340', '5.43210', 'Utrecht']);

  // Edited with a decimal comma and a western hemisphere.
  await page.getByRole('button', { name: 'Edit HB9ODP' }).click();
  const edit = page.locator('[data-station-editor=HB9ODP]');
  await edit.getByLabel('Latitude').fill('46,5');
  await edit.getByLabel('Longitude').fill('8,8 W');
  await edit.getByRole('button', { name: 'Save' }).click();
  expect(await cells(page, 'HB9ODP')).toEqual(['HB9ODP', '46.50000', '-8.80000', '']);
  await page.getByTestId('station-panel').screenshot({ path: `${SHOTS}/02-two-stations.png` });

  // Exported as the JSON.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
  expect(exported).toEqual({
    stations: [
      { id: 'HB9ODP', lat: 46.5, lon: -8.8 },
      { id: 'pa0rdt', lat: 52.1234, lon: 5.4321, name: 'Utrecht' },
    ],
  });

  // Deleted; then a list imported: its stations replace those with the same id, the rest stay.
  await page.getByRole('button', { name: 'Delete HB9ODP' }).click();
  await expect(rows(page)).toHaveCount(1);
  await page.getByTestId('station-import').setInputFiles({
    name: 'more-stations.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        stations: [
          { id: 'pa0rdt', lat: 52.2, lon: 5.5 },
          { id: 'JO51xl', lat: 51.9, lon: 13.7, altM: 60 },
        ],
      }),
    ),
  });
  await expect(rows(page)).toHaveCount(2);
  expect(await cells(page, 'pa0rdt')).toEqual(['pa0rdt', '52.20000', '5.50000', '']);
  // A list that is not one is refused, naming the file; the list stays as it was.
  await page.getByTestId('station-import').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"stations": [{"id": "X", "lat": "52,1"}]}'),
  });
  await expect(page.getByTestId('station-error')).toContainText('broken.json');
  await expect(rows(page)).toHaveCount(2);

  // Kept in this browser across a reload.
  await page.reload();
  await page.getByRole('tab', { name: 'Stations' }).click();
  await expect(rows(page)).toHaveCount(2);
  expect(await cells(page, 'JO51xl')).toEqual(['JO51xl', '51.90000', '13.70000', '']);
  await page.getByTestId('station-panel').screenshot({ path: `${SHOTS}/03-after-reload.png` });
});
