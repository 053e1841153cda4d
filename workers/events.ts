import type { EngineEvent } from './types';

type Listener = (event: EngineEvent) => unknown;

/** Engine events (manifest changes, models put in or out of service) for subscribed callers. */
export class EventHub {
  private readonly listeners = new Map<number, Listener>();
  private nextId = 1;

  subscribe(listener: Listener): number {
    const id = this.nextId++;
    this.listeners.set(id, listener);
    return id;
  }

  unsubscribe(id: number): boolean {
    return this.listeners.delete(id);
  }

  emit(event: EngineEvent): void {
    for (const [id, listener] of this.listeners) {
      // A comlink proxy whose page went away rejects; drop it rather than fail the engine.
      Promise.resolve()
        .then(() => listener(event))
        .catch(() => this.listeners.delete(id));
    }
  }
}
