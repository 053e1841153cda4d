/**
 * The command line's batch at scale: `heimdall locate FOLDER --json` over 100, 1,000 and 10,000
 * simulated scenes (6 files each: a SigMF pair per receiver), printing per size the wall time,
 * scenes per second, the time to the first printed scene and the peak RSS of the process.
 *
 * Run:  npx tsx scripts/bench-cli-batch.ts [--scenes 100,1000,10000] [--dir /tmp]
 *
 * The scenes are simulated once, for the largest size, into folders of 100 (0.75 s each, the
 * shortest that holds a model window: about 216 KB a scene, 2.2 GB for 10,000), and each size
 * locates the first of those folders; everything is deleted at the end. Prints figures only.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { simulateToDirectory } from '../src/cli/simulateCommand';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const sizes = arg('scenes', '100,1000,10000').split(',').map(Number);
const SCENES_PER_FOLDER = 100;
const DURATION_S = 0.75;
const cli = join(import.meta.dirname, '..', 'bin', 'heimdall.mjs');

/** Peak resident set of a live process (Linux VmHWM), in bytes; 0 once it has exited. */
async function peakRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

interface Run {
  scenes: number;
  lines: number;
  wallS: number;
  firstLineS: number;
  peakRssMb: number;
  exitCode: number | null;
}

async function locateFolders(folders: string[], scenes: number): Promise<Run> {
  const start = performance.now();
  const child = spawn(process.execPath, [cli, 'locate', ...folders, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let lines = 0;
  let firstLineS = NaN;
  let peak = 0;
  const poll = setInterval(() => {
    void peakRssBytes(child.pid!).then((b) => (peak = Math.max(peak, b)));
  }, 100);
  createInterface({ input: child.stdout }).on('line', () => {
    if (lines++ === 0) firstLineS = (performance.now() - start) / 1000;
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  return {
    scenes,
    lines,
    wallS: (performance.now() - start) / 1000,
    firstLineS,
    peakRssMb: peak / 2 ** 20,
    exitCode,
  };
}

const root = await mkdtemp(join(arg('dir', tmpdir()), 'heimdall-bench-cli-'));
try {
  const largest = Math.max(...sizes);
  const folders: string[] = [];
  const simStart = performance.now();
  for (let k = 0; k * SCENES_PER_FOLDER < largest; k++) {
    const out = join(root, `batch-${String(k).padStart(4, '0')}`);
    // A seed per folder: each folder's scenes differ (their capture times repeat per folder,
    // and each folder's scenes complete before the next folder's begin).
    await simulateToDirectory({
      scenes: Math.min(SCENES_PER_FOLDER, largest - k * SCENES_PER_FOLDER),
      seed: 1000 + k,
      out,
      physics: 'nominal',
      durationS: DURATION_S,
    });
    folders.push(out);
  }
  console.log(
    `simulated ${largest} scenes (${largest * 6} files) in ${((performance.now() - simStart) / 1000).toFixed(0)} s`,
  );
  console.log('scenes  files  located  wall s  scenes/s  first line s  peak RSS MB  exit');
  for (const n of sizes) {
    const r = await locateFolders(folders.slice(0, Math.ceil(n / SCENES_PER_FOLDER)), n);
    console.log(
      [
        String(r.scenes).padStart(6),
        String(r.scenes * 6).padStart(6),
        String(r.lines).padStart(8),
        r.wallS.toFixed(1).padStart(7),
        (r.lines / r.wallS).toFixed(1).padStart(9),
        r.firstLineS.toFixed(2).padStart(13),
        r.peakRssMb.toFixed(0).padStart(12),
        String(r.exitCode).padStart(5),
      ].join(' '),
    );
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
