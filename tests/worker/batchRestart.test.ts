/**
 * A worker that dies mid-batch: the bridge sees it (a Web Lock the worker held for life is
 * released), rejects what was in flight with WorkerLostError, starts a new worker and replays
 * the settings, the open files (under their old ids) and the prepared model; and the worker side
 * of that replay (reopenFiles) really gives recordings back their ids in a fresh engine.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expose } from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateToDirectory } from '../../src/cli/simulateCommand';
import { createInferenceBridge, type RestartReport } from '../../src/bridge/inferenceBridge';
import { TEST_REGISTRY } from '../../e2e/support/registries';
import type { ReopenEntry } from '../../workers/reopenFiles';
import { connect, serverDouble, type ServerDouble } from './harness';

/** navigator.locks as far as the bridge and the worker use it; `release` is a worker dying. */
class FakeLocks {
  private readonly held = new Set<string>();
  private readonly waiting = new Map<string, (() => void)[]>();

  request(name: string, callback: () => unknown): Promise<unknown> {
    return new Promise((resolve) => {
      const grant = () => {
        this.held.add(name);
        resolve(callback());
      };
      if (this.held.has(name)) this.waiting.set(name, [...(this.waiting.get(name) ?? []), grant]);
      else grant();
    });
  }

  release(name: string): void {
    this.held.delete(name);
    const next = this.waiting.get(name)?.shift();
    next?.();
  }
}

const locks = new FakeLocks();
Object.defineProperty(globalThis, 'navigator', { value: { locks }, configurable: true });

interface Call {
  worker: number;
  method: string;
  args: unknown[];
}

/** A Worker double over a MessageChannel, exposing a recording stand-in for the worker API. */
class FakeWorker {
  static made = 0;
  readonly n = ++FakeWorker.made;
  private readonly channel = new MessageChannel();
  lockName: string | null = null;
  /** Predictions waiting for the test to answer them (never answered: the worker dies). */
  readonly pending: string[] = [];

  constructor(
    private readonly calls: Call[],
    dieAtStart = false,
  ) {
    const record = (method: string, ...args: unknown[]) =>
      void calls.push({ worker: this.n, method, args });
    const api = {
      holdLifeLock: async (name: string) => {
        // A worker whose script fails: an error event, and no lock ever held.
        if (dieAtStart)
          return new Promise<boolean>(() => {
            for (const l of this.errorListeners) l({ message: 'SyntaxError at start' });
            this.crash();
          });
        this.lockName = name;
        await locks.request(name, () => undefined);
        return true;
      },
      configure: async (patch: unknown) => record('configure', patch),
      subscribe: async () => (record('subscribe'), this.n),
      openFiles: async (files: { name: string }[]) => {
        record('openFiles', files.length);
        return {
          recordings: files.map((f, i) => ({ id: `rec-${i + 1}`, info: { name: f.name } })),
          errors: [],
        };
      },
      reopenFiles: async (entry: ReopenEntry) => {
        record('reopenFiles', entry.recordings);
        return entry.recordings.flatMap((r) => (r ? [r.id] : []));
      },
      closeFiles: async (ids?: string[]) => (record('closeFiles', ids), ids?.length ?? 0),
      prepare: async (version?: string) => (record('prepare', version), { active: {} }),
      predictScene: (request: { sceneId: string; recordingIds: string[] }) => {
        record('predictScene', request.recordingIds);
        if (request.sceneId === 'hang') {
          this.pending.push(request.sceneId);
          return new Promise(() => undefined);
        }
        return Promise.resolve({ sceneId: request.sceneId, worker: this.n });
      },
    };
    expose(api, this.channel.port2);
    this.channel.port1.start();
  }

  postMessage(message: unknown, transfer: Transferable[] = []) {
    this.channel.port1.postMessage(message, transfer as never);
  }
  private readonly errorListeners: ((e: { message: string }) => void)[] = [];
  addEventListener(type: string, listener: (e: MessageEvent) => void) {
    if (type === 'message') this.channel.port1.addEventListener('message', listener as never);
    if (type === 'error') this.errorListeners.push(listener as never);
  }
  removeEventListener(type: string, listener: (e: MessageEvent) => void) {
    if (type === 'message') this.channel.port1.removeEventListener('message', listener as never);
  }
  terminate() {
    this.channel.port1.close();
    this.channel.port2.close();
  }
  /** The worker's global scope goes away: its lock is released, nothing is said. */
  crash() {
    this.terminate();
    if (this.lockName) locks.release(this.lockName);
  }
}

const file = (name: string) => ({ name, blob: new Blob([name]) });

describe('the bridge restarts a worker that died', () => {
  it('rejects what was in flight, replays settings, files (old ids) and model, then serves', async () => {
    const calls: Call[] = [];
    const workers: FakeWorker[] = [];
    const bridge = createInferenceBridge(() => {
      const w = new FakeWorker(calls);
      workers.push(w);
      return w as unknown as Worker;
    });
    const reports: RestartReport[] = [];
    bridge.onRestart((r) => reports.push(r));
    await bridge.configure({ cacheTtlMs: 1000 });
    await bridge.configure({ maxBatch: 4 });
    await bridge.subscribe(() => undefined);
    const first = await bridge.openFiles([file('a'), file('b'), file('c')]);
    await bridge.openFiles([file('d')]);
    await bridge.closeFiles(['rec-2']);
    await bridge.prepare('1.1.0');
    const inFlight = bridge.predictScene({ sceneId: 'hang', recordingIds: ['rec-1'] });
    await new Promise((r) => setTimeout(r, 20));
    expect(workers[0].pending).toEqual(['hang']);

    workers[0].crash();
    await expect(inFlight).rejects.toMatchObject({ name: 'WorkerLostError' });
    // A call made while the new worker is brought back waits for it, then is served by it.
    const after = await bridge.predictScene({ sceneId: 's1', recordingIds: ['rec-1', 'rec-3'] });
    expect(after).toMatchObject({ sceneId: 's1', worker: 2 });

    const second = calls.filter((c) => c.worker === 2).map((c) => [c.method, ...c.args]);
    expect(second).toEqual([
      ['configure', { cacheTtlMs: 1000, maxBatch: 4 }],
      ['subscribe'],
      ['reopenFiles', [{ id: 'rec-1', name: 'a' }, null, { id: 'rec-3', name: 'c' }]],
      ['reopenFiles', [{ id: 'rec-1', name: 'd' }]],
      ['prepare', '1.1.0'],
      ['predictScene', ['rec-1', 'rec-3']],
    ]);
    expect(first.recordings.map((r) => r.id)).toEqual(['rec-1', 'rec-2', 'rec-3']);
    expect(reports).toEqual([{ restarts: 1, reopened: 3, failures: [] }]);
    bridge.terminate();
  });

  it('gives up after three restarts whose worker dies at start, with a named error', async () => {
    const calls: Call[] = [];
    const workers: FakeWorker[] = [];
    const bridge = createInferenceBridge(() => {
      const w = new FakeWorker(calls, workers.length > 0);
      workers.push(w);
      return w as unknown as Worker;
    });
    await bridge.configure({});
    workers[0].crash();
    // Made as the first worker died: lost with it.
    await expect(bridge.metrics()).rejects.toMatchObject({ name: 'WorkerLostError' });
    await new Promise((r) => setTimeout(r, 300));
    // Made after three failed restarts: refused at once, saying what to do.
    await expect(bridge.metrics()).rejects.toMatchObject({
      name: 'WorkerLostError',
      message: expect.stringContaining('reload the page'),
    });
    expect(workers).toHaveLength(4); // the first worker and three restarts
    bridge.terminate();
  });
});

describe('reopenFiles in a fresh engine', () => {
  let dir: string;
  let server: ServerDouble;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heimdall-restart-'));
    await simulateToDirectory({ scenes: 2, seed: 21, out: dir, physics: 'nominal', durationS: 1 });
    server = await serverDouble(TEST_REGISTRY);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the recordings their old ids, so scenes locate by them; new ids never collide', async () => {
    const files = await Promise.all(
      (await readdir(dir)).sort().map(async (name) => ({
        name,
        blob: new Blob([await readFile(join(dir, name))]),
      })),
    );
    const before = await connect(server.fetch);
    await before.api.loadManifest();
    const opened = await before.api.openFiles(files);
    const { scenes } = await before.api.groupScenes({});
    await before.close();
    expect(scenes).toHaveLength(2);

    // The replacement: fresh engine, the same files, one recording closed meanwhile.
    const after = await connect(server.fetch);
    await after.api.prepare('1.0.0');
    const closed = scenes[1].recordingIds[0]!;
    const entry: ReopenEntry = {
      files,
      recordings: opened.recordings.map((r) =>
        r.id === closed ? null : { id: r.id, name: r.info.name },
      ),
    };
    const restored = await after.api.reopenFiles(entry);
    expect(restored).toHaveLength(opened.recordings.length - 1);
    const located = await after.api.predictScene({
      sceneId: scenes[0].sceneId,
      recordingIds: scenes[0].recordingIds as string[],
    });
    expect(located.sceneId).toBe(scenes[0].sceneId);
    await expect(
      after.api.predictScene({
        sceneId: scenes[1].sceneId,
        recordingIds: scenes[1].recordingIds as string[],
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining(closed) });
    const more = await after.api.openFiles(files.slice(0, 1));
    const taken = new Set(opened.recordings.map((r) => r.id));
    expect(more.recordings.every((r) => !taken.has(r.id))).toBe(true);
    await after.close();
  });
});
