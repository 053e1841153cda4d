import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What `vite build` reads: if any of these is newer than dist/index.html, the build is stale. */
const BUILD_INPUTS = ['src', 'workers', 'index.html', 'vite.config.ts'];

async function mtimeMsOrNull(path: string): Promise<number | null> {
  return stat(path).then(
    (s) => s.mtimeMs,
    () => null,
  );
}

/** Newest modification time of any file under `path` (a file or folder); null when it does not exist. */
async function newestMtimeMs(path: string): Promise<number | null> {
  const info = await stat(path).catch(() => null);
  if (!info) return null;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs; // a deleted file shows only as a newer folder mtime
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    const entryMtime = await mtimeMsOrNull(join(entry.parentPath, entry.name));
    if (entryMtime !== null && entryMtime > newest) newest = entryMtime;
  }
  return newest;
}

/** Why the build in distDir must be redone, or null when it is up to date. */
export async function staleBuildReason(
  projectRoot: string,
  distDir: string,
): Promise<string | null> {
  const builtMs = await mtimeMsOrNull(join(distDir, 'index.html'));
  if (builtMs === null) return `${join(distDir, 'index.html')} is missing`;
  for (const input of BUILD_INPUTS) {
    const newest = await newestMtimeMs(join(projectRoot, input));
    if (newest !== null && newest > builtMs) return `${input} changed after the last build`;
  }
  return null;
}

/** Runs `npx vite build` into distDir when the build is missing or older than its sources. */
export async function buildIfNeeded(
  projectRoot: string,
  distDir: string,
  print: (line: string) => void,
): Promise<boolean> {
  const reason = await staleBuildReason(projectRoot, distDir);
  if (reason === null) {
    print(`app build in ${distDir} is up to date`);
    return false;
  }
  const args = ['vite', 'build', '--outDir', distDir, '--emptyOutDir'];
  print(`building the app (${reason}): npx ${args.join(' ')}`);
  const exitCode = await new Promise<number | null>((resolvePromise, reject) => {
    const child = spawn('npx', args, { cwd: projectRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise(code));
  });
  if (exitCode !== 0) throw new Error(`npx vite build failed (exit code ${exitCode})`);
  return true;
}
