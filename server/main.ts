/**
 * `npm start`: serves the built app, the model registry and the API. JSON log lines go to stdout.
 *   tsx server/main.ts [--port 8080] [--host 127.0.0.1] [--registry public/models/registry.json]
 *                      [--dist dist] [--build-if-needed]
 *                      [--live-config live.json] [--no-live] [--allowed-host NAME ...]
 * Without --live-config the live view streams the built-in simulated receiver network.
 * Requests whose Host header is not one of the server's names are refused (DNS rebinding); see
 * hostPolicy.ts for the names accepted, and --allowed-host (or HEIMDALL_ALLOWED_HOSTS, comma-
 * separated) for more, e.g. the public name behind a reverse proxy.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isHeimdallError } from '../src/core/errors';
import { DEFAULT_REGISTRY_PATH } from '../src/node/registry';
import { buildApp } from './app';
import { buildIfNeeded } from './buildIfNeeded';
import { defaultLiveConfig, loadLiveConfig } from './live/liveConfig';
import { liveRelayPlugin } from './live/relayPlugin';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** A close that waits on a stuck connection longer than this is cut short. */
const SHUTDOWN_GRACE_MS = 10_000;

interface ServerFlags {
  port: number;
  host: string;
  registry: string;
  dist: string;
  buildIfNeeded: boolean;
  liveConfig?: string;
  live: boolean;
  allowedHost: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** HEIMDALL_ALLOWED_HOSTS=a.example,b.example:8443, the config-file-free way to set the list. */
function allowedHostsFromEnv(): string[] {
  return (process.env.HEIMDALL_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be an integer from 0 to 65535');
  }
  return port;
}

function parseFlags(argv: string[]): ServerFlags {
  return new Command('heimdall-server')
    .description('Serve the heimdall web app, its model registry and API')
    .addOption(
      new Option('--port <port>', 'TCP port').env('PORT').argParser(parsePort).default(8080),
    )
    .option('--host <host>', 'address to listen on (0.0.0.0 for all interfaces)', '127.0.0.1')
    .option(
      '--registry <path>',
      'registry.json of the model registry',
      resolve(PROJECT_ROOT, DEFAULT_REGISTRY_PATH),
    )
    .option('--dist <dir>', 'the Vite build to serve', resolve(PROJECT_ROOT, 'dist'))
    .option(
      '--build-if-needed',
      'run `npx vite build` first when the build is missing or stale',
      false,
    )
    .option(
      '--live-config <path>',
      'live relay config (JSON: receivers, KiwiSDR allow-list, simulated scenario); default: the simulated network',
    )
    .option('--no-live', 'serve no live relay')
    .option(
      '--allowed-host <name>',
      'also answer requests for this Host (NAME for any port, or NAME:PORT); repeatable',
      collect,
      allowedHostsFromEnv(),
    )
    .parse(argv)
    .opts<ServerFlags>();
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv);
  const distDir = resolve(flags.dist);
  if (flags.buildIfNeeded) await buildIfNeeded(PROJECT_ROOT, distDir, (line) => console.log(line));

  // Read before listening, so a bad live config stops the server with the file and the problem.
  const liveConfig = flags.liveConfig
    ? await loadLiveConfig(flags.liveConfig)
    : defaultLiveConfig();
  const app = await buildApp({
    registryPath: resolve(flags.registry),
    distDir,
    logger: true,
    listenHost: flags.host,
    allowedHosts: flags.allowedHost,
    extraPlugins: flags.live ? [liveRelayPlugin({ config: liveConfig })] : [],
  });
  const address = await app.listen({ port: flags.port, host: flags.host });
  console.log(`heimdall is serving on ${address}`);
  app.log.info({ hosts: app.hostPolicy.describe() }, 'answering requests for these Host names');

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      app.log.warn({ signal }, 'second signal; exiting without waiting');
      process.exit(1);
    }
    closing = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing the open ones');
    setTimeout(() => {
      app.log.error({ graceMs: SHUTDOWN_GRACE_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  const e = err instanceof Error ? err : new Error(String(err));
  console.error(isHeimdallError(e) ? `error (${e.name}): ${e.message}` : `error: ${e.message}`);
  process.exit(1);
});
