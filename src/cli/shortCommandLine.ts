import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';

/*
 * Why this exists: onnxruntime-node 1.30 (its native library, while creating the first session)
 * reads the process's command line (/proc/self/cmdline) with a recursion that goes one native
 * stack frame deeper per byte or so; past about 28 KB of command line the main thread's 8 MB
 * stack overflows and the process dies with SIGSEGV before printing anything. A shell glob over a
 * folder of 140 scenes (840 paths) is enough. Measured here: 25,000 bytes of arguments work,
 * 30,000 crash, with `node -e` and a single long argument as with many short ones; a long
 * environment does not matter.
 *
 * So a command line longer than the bound below is handed to a child process of the same
 * program over an IPC channel: the child's own command line is short, and it runs the command
 * with the arguments it receives. Output and exit status pass through unchanged.
 */

/** Command lines up to this many bytes run in place (well under the ~28 KB that crash). */
export const MAX_IN_PLACE_COMMAND_LINE_BYTES = 16 * 1024;

const ARGS_FROM_PARENT_ENV = 'HEIMDALL_ARGS_FROM_PARENT';

function commandLineBytes(): number {
  try {
    return readFileSync('/proc/self/cmdline').length;
  } catch {
    // Not Linux: count what the kernel would (each argument and its terminating NUL).
    return [process.execPath, ...process.execArgv, ...process.argv.slice(1)].reduce(
      (n, a) => n + Buffer.byteLength(a) + 1,
      0,
    );
  }
}

/** The child side: the arguments its parent sends, or undefined when this is not such a child. */
function argsFromParent(): Promise<string[]> | undefined {
  if (process.env[ARGS_FROM_PARENT_ENV] !== '1' || !process.send) return undefined;
  delete process.env[ARGS_FROM_PARENT_ENV];
  return new Promise((resolve) => {
    process.once('message', (args: string[]) => {
      // Let go of the channel, or it would keep the child alive after the command ends.
      process.channel?.unref();
      resolve(args);
    });
  });
}

/**
 * The user arguments (after `node script`) to run in this process, or null when they were handed
 * to a child process because the command line is too long; the exit code is then set from it.
 */
export async function argsToRunHere(): Promise<string[] | null> {
  const fromParent = argsFromParent();
  if (fromParent) return fromParent;
  const args = process.argv.slice(2);
  if (commandLineBytes() <= MAX_IN_PLACE_COMMAND_LINE_BYTES) return args;
  const child = fork(process.argv[1], [], {
    env: { ...process.env, [ARGS_FROM_PARENT_ENV]: '1' },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  child.send(args);
  const { code, signal } = await new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>((resolve) => child.on('exit', (c, s) => resolve({ code: c, signal: s })));
  process.exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
  return null;
}
