/**
 * How the page learns that the worker died: the worker holds a Web Lock for as long as it lives,
 * and the page asks for the same lock, which it is granted only when the worker's global scope is
 * gone (closed, terminated, crashed). No heartbeat, so a worker busy in a long computation is
 * never taken for dead. Without the Locks API (an insecure origin) it answers false.
 */
export async function holdLifeLock(name: string): Promise<boolean> {
  const locks = (globalThis.navigator as WorkerNavigator | undefined)?.locks;
  if (!locks) return false;
  return new Promise<boolean>((held) => {
    void locks.request(name, () => {
      held(true);
      return new Promise<never>(() => undefined); // held until this worker is gone
    });
  });
}

/** Test hook: ends this worker the way a crash would, without a word to the page. */
export function crashForTest(): void {
  (globalThis as { close?: () => void }).close?.();
}
