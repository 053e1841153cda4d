/**
 * A companion server of the live e2e tests' own, streaming a simulated scenario (with test
 * controls on), on a free port, in a process group of its own so that stop() ends npx and the
 * server it started together.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './browser';

export interface LiveServer {
  baseURL: string;
  /** A temporary folder of the test's own (removed by stop()). */
  dir: string;
  stop(): Promise<void>;
}

export async function startLiveServer(
  registry: string,
  distDir: string,
  scenario: unknown,
  /** More of the live config, e.g. its `receivers`. */
  extra: Record<string, unknown> = {},
): Promise<LiveServer> {
  const dir = await mkdtemp(join(tmpdir(), 'heimdall-live-e2e-'));
  const config = join(dir, 'live.json');
  await writeFile(config, JSON.stringify({ testControls: true, scenario, ...extra }));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(
    'npx',
    ['tsx', 'server/main.ts', '--port', String(port), '--host', '127.0.0.1'].concat([
      '--registry',
      registry,
      '--dist',
      distDir,
      '--live-config',
      config,
    ]),
    // Its JSON log lines are not needed here; errors still show.
    { stdio: ['ignore', 'ignore', 'inherit'], detached: true },
  );
  const stop = async () => {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${baseURL}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { baseURL, dir, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error('the live e2e server did not start');
}
