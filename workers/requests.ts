import { HeimdallError } from '../src/core/errors';

/**
 * Cooperative cancellation. A request checks its token between stages; a batch's items share the
 * batch's token as parent, so cancelling the batch stops every item not yet finished.
 */
export class CancelToken {
  private cancelled = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly id: string,
    private readonly parent?: CancelToken,
  ) {}

  get isCancelled(): boolean {
    return this.cancelled || (this.parent?.isCancelled ?? false);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const listener of [...this.listeners]) listener();
    this.listeners.clear();
  }

  /**
   * Calls `listener` once when this request or its parent is cancelled (at once if it already
   * is), so work that waits (a queue) can give up without polling. Returns the unsubscribe.
   */
  onCancel(listener: () => void): () => void {
    if (this.isCancelled) {
      listener();
      return () => undefined;
    }
    let fired = false;
    const once = () => {
      if (fired) return;
      fired = true;
      off();
      listener();
    };
    this.listeners.add(once);
    const offParent = this.parent?.onCancel(once);
    const off = () => {
      this.listeners.delete(once);
      offParent?.();
    };
    return off;
  }

  throwIfCancelled(): void {
    if (this.isCancelled)
      throw new HeimdallError('CancelledError', `request ${this.id} was cancelled`);
  }
}

export class RequestRegistry {
  private readonly live = new Map<string, CancelToken>();

  begin(id: string, parent?: CancelToken): CancelToken {
    if (this.live.has(id))
      throw new HeimdallError('ConfigError', `request id ${id} is already in flight`);
    const token = new CancelToken(id, parent);
    this.live.set(id, token);
    return token;
  }

  end(id: string): void {
    this.live.delete(id);
  }

  /** True when the request was in flight (it will reject with CancelledError). */
  cancel(id: string): boolean {
    const token = this.live.get(id);
    token?.cancel();
    return token !== undefined;
  }
}

export function newRequestId(): string {
  return crypto.randomUUID();
}
