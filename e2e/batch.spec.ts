/**
 * The browser batch never hangs, in the production build: every scene of the demo ends done
 * whether the worker dies mid-batch (it is restarted and the queue resumes, keeping what was
 * located), the page is frozen in the background mid-batch, or the model and the files become
 * ready in either order (the demo once opened before the model list and located nothing).
 */
import { expect, test, type Page } from '@playwright/test';

// Measured on a busy machine (load average 20 on 2 cores): the engine took over 90 s to get
// ready once, and a test with a restart 2.5 min; the margins follow.
test.describe.configure({ timeout: 360_000 });

const DEMO_SCENES = 8;
const DEMO_RECORDINGS = 24;
const done = (page: Page) => page.locator('[data-testid=run-status][data-status=done]');
const rows = (page: Page) => page.locator('[data-testid=scene-table] tbody tr');

async function openApp(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveClass(/ready/, { timeout: 180_000 });
}

test('a worker that dies mid-batch is restarted; every scene ends located, none lost', async ({
  page,
}) => {
  await openApp(page);
  // Crash the worker the moment the first result shows, so the rest of the batch is in flight
  // or queued; record the restart the bridge reports.
  await page.evaluate(() => {
    const w = window as unknown as {
      __crash: { doneAtCrash: number | null; restarts: { restarts: number; reopened: number }[] };
    };
    w.__crash = { doneAtCrash: null, restarts: [] };
    const bridge = window.__heimdall!;
    bridge.onRestart((r) => w.__crash.restarts.push(r));
    const count = () => document.querySelectorAll('[data-testid=run-status][data-status=done]');
    new MutationObserver((_, observer) => {
      if (count().length === 0) return;
      observer.disconnect();
      w.__crash.doneAtCrash = count().length;
      bridge.crashWorkerForTest();
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.getByRole('button', { name: 'Load demo scenes' }).click();
  await expect(rows(page)).toHaveCount(DEMO_SCENES);
  await expect(done(page)).toHaveCount(DEMO_SCENES, { timeout: 120_000 });
  const crash = await page.evaluate(
    () =>
      (
        window as unknown as {
          __crash: { doneAtCrash: number; restarts: { restarts: number; reopened: number }[] };
        }
      ).__crash,
  );
  console.log(
    `worker crash: ${crash.doneAtCrash} of ${DEMO_SCENES} located before it, restarts ${JSON.stringify(crash.restarts)}`,
  );
  expect(crash.doneAtCrash).toBeLessThan(DEMO_SCENES); // it really was mid-batch
  expect(crash.restarts).toEqual([
    expect.objectContaining({ restarts: 1, reopened: DEMO_RECORDINGS }),
  ]);
  await expect(page.locator('[data-testid=run-status][data-status=error]')).toHaveCount(0);
  await expect(page.locator('.notice')).toContainText(
    `Located ${DEMO_SCENES} of ${DEMO_SCENES} scene(s)`,
  );
  // The restarted engine serves on: the same recordings again, answered now from its cache.
  await expect(page.getByTestId('engine-status')).toHaveClass(/ready/);
});

test('a page frozen in the background mid-batch finishes the batch when it comes back', async ({
  page,
}) => {
  await openApp(page);
  const cdp = await page.context().newCDPSession(page);
  await page.getByRole('button', { name: 'Load demo scenes' }).click();
  await expect(rows(page)).toHaveCount(DEMO_SCENES);
  // What Chromium does to a background tab it freezes: no task of the page runs meanwhile.
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  await new Promise((r) => setTimeout(r, 3000));
  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  await expect(done(page)).toHaveCount(DEMO_SCENES, { timeout: 120_000 });
  await expect(page.locator('.notice')).toContainText(`Located ${DEMO_SCENES} of`);
});

for (const late of ['model list', 'model file', 'demo files'] as const) {
  test(`the demo clicked at once locates every scene when the ${late} arrives last`, async ({
    page,
    context,
  }) => {
    // Hold back one of the three until the others are surely in, so the order is forced.
    const pattern =
      late === 'model list' ? '**/api/models' : late === 'model file' ? '**/*.onnx' : '**/demo/**';
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let seen = 0;
    await context.route(pattern, async (route) => {
      seen++;
      await held;
      await route.continue();
    });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/');
    await page.getByRole('button', { name: 'Load demo scenes' }).click();
    if (late === 'demo files') {
      await expect(page.getByTestId('engine-status')).toHaveClass(/ready/, { timeout: 90_000 });
    } else {
      await expect(page.locator('.notice')).toContainText(/Opened \d+ recording/, {
        timeout: 90_000,
      });
    }
    await expect.poll(() => seen, { timeout: 90_000 }).toBeGreaterThan(0);
    release();
    await expect(done(page)).toHaveCount(DEMO_SCENES, { timeout: 120_000 });
  });
}
