/**
 * How Playwright starts a browser here: Debian's Chromium (never a downloaded one), headless,
 * with WebGPU exposed (SwiftShader, a software adapter: correct, not fast) and without the
 * background traffic that would flood a closed network with refused connections.
 */
import { createServer } from 'node:net';

export const CHROMIUM_PATH = process.env.HEIMDALL_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Chromium 156 starts a renderer for its omnibox popup (a WebUI page, chrome://omnibox-popup) with
 * every browser, even headless. Each test and each benchmark visit starts a new browser, so that
 * renderer's start-up (2.7 s of CPU on an idle browser here, 16-26 s in traces of visits on the
 * loaded 2-core machine, `npx tsx scripts/trace-start.ts`) landed inside the page's figures, which
 * a user, whose browser is already running, never pays.
 */
const WEBUI_POPUP_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];

/**
 * Chromium keeps only the last --disable-features, and Playwright passes its own list before
 * ours (playwright-core 1.65's chromiumSwitches), so ours repeats that list.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
];

/** The arguments before the omnibox popup was turned off (scripts/bench-start-ab.ts compares). */
export const CHROMIUM_ARGS_WITH_WEBUI = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

export const CHROMIUM_ARGS = [
  ...CHROMIUM_ARGS_WITH_WEBUI,
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...WEBUI_POPUP_FEATURES].join(',')}`,
];

export const launchOptions = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
