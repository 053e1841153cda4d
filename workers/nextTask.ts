/**
 * Calls `f` on a later turn of the event loop, behind the messages already waiting for this
 * worker. A message to itself over a MessageChannel is queued like the page's own messages, so
 * requests that arrived together (each one a message) all run their first stages before `f`:
 * the session runner uses it to let them join one batch. setTimeout would not do: timers are
 * another task source, which the scheduler may serve before the waiting messages, and nested
 * timers are clamped to 4 ms. One channel serves every call, oldest first.
 */
const pending: (() => void)[] = [];
let channel: MessageChannel | null = null;

function open(): MessageChannel {
  const c = new MessageChannel();
  c.port1.onmessage = () => pending.shift()?.();
  // Under Node (the worker's tests) an open port would keep the process alive.
  (c.port1 as { unref?: () => void }).unref?.();
  return c;
}

export function nextTask(f: () => void): void {
  channel ??= open();
  pending.push(f);
  channel.port2.postMessage(null);
}
