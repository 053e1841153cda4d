/**
 * What a new inference worker must be told to stand in for one that died: the engine settings
 * given so far, the event subscriptions, the files still open (with their ids) and the model
 * version last prepared. The bridge writes here as calls succeed and replays it on restart.
 */
import type { Remote } from 'comlink';
import type { InferenceApi } from '../../workers/api';
import type { FileLike } from '../../workers/openFiles';
import type { ReopenEntry } from '../../workers/reopenFiles';
import type { EngineConfig, OpenFilesResult, RawParams } from '../../workers/types';

export class RestartJournal {
  private config: Partial<EngineConfig> = {};
  private readonly opened: ReopenEntry[] = [];
  /** Version argument of the last prepare() that succeeded; absent until one has. */
  private prepared: { version: string | undefined } | null = null;

  configured(patch: Partial<EngineConfig>): void {
    this.config = { ...this.config, ...patch };
  }

  filesOpened(files: FileLike[], raw: RawParams | undefined, result: OpenFilesResult): void {
    const recordings = result.recordings.map((r) => ({ id: r.id, name: r.info.name }));
    if (recordings.length > 0) this.opened.push({ files, raw, recordings });
  }

  filesClosed(ids?: readonly string[]): void {
    if (!ids) {
      this.opened.length = 0;
      return;
    }
    const gone = new Set(ids);
    for (const entry of this.opened)
      entry.recordings = entry.recordings.map((r) => (r && gone.has(r.id) ? null : r));
    const live = this.opened.filter((e) => e.recordings.some((r) => r !== null));
    this.opened.splice(0, this.opened.length, ...live);
  }

  modelPrepared(version: string | undefined): void {
    this.prepared = { version };
  }

  /**
   * Brings a fresh worker to where the old one was. Each step on its own: a failure (the model
   * cannot be fetched now) leaves the rest in place, and shows up in the calls that follow.
   */
  async replay(
    api: Remote<InferenceApi>,
    /** Races a call against the worker's death, so a replay on a dying worker cannot hang. */
    guard: <T>(call: Promise<T>) => Promise<T>,
    resubscribe: () => Promise<void>,
  ): Promise<{ reopened: number; failures: string[] }> {
    const failures: string[] = [];
    const attempt = async (what: string, step: () => Promise<unknown>) => {
      try {
        await guard(step());
      } catch (err) {
        if ((err as Error).name === 'WorkerLostError') throw err;
        failures.push(`${what}: ${(err as Error).message}`);
      }
    };
    await attempt('settings', () => api.configure(this.config));
    await attempt('events', resubscribe);
    let reopened = 0;
    for (const entry of this.opened)
      await attempt('files', async () => {
        reopened += (await guard(api.reopenFiles(entry))).length;
      });
    const prepared = this.prepared;
    if (prepared) await attempt('model', () => api.prepare(prepared.version));
    return { reopened, failures };
  }
}
