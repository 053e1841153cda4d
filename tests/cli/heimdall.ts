import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '../../bin/heimdall.mjs');

/** Runs the command line; a hang is killed after `timeoutMs` (and then reads as a failure). */
export async function heimdall(args: string[], timeoutMs = 120_000) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      maxBuffer: 1 << 26,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    return { code: 0, signal: null, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; signal: string | null; stdout: string; stderr: string };
    return { code: e.code, signal: e.signal, stdout: e.stdout, stderr: e.stderr };
  }
}

export const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { scene: string; files: string[] });
