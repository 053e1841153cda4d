import { HeimdallError } from '../src/core/errors';
import { dateKiwiRecordingsByPeers } from '../src/core/readers/kiwiWeek';
import type { IqRecording } from '../src/core/readers/types';

/**
 * Recordings opened in the worker, by id. Only their headers were read; samples are read window
 * by window from the File (a Blob slice), so a multi-gigabyte recording costs almost nothing here.
 */
export class RecordingTable {
  private readonly byId = new Map<string, IqRecording>();
  private nextId = 1;

  add(recording: IqRecording): string {
    const id = `rec-${this.nextId++}`;
    this.byId.set(id, recording);
    return id;
  }

  /**
   * Puts a recording back under the id it had in a worker that stopped (the page restarts the
   * worker and reopens its files), so the page's ids stay valid; later ids never collide with it.
   */
  adopt(id: string, recording: IqRecording): void {
    this.byId.set(id, recording);
    const n = /^rec-(\d+)$/.exec(id);
    if (n) this.nextId = Math.max(this.nextId, Number(n[1]) + 1);
  }

  get(id: string): IqRecording {
    const rec = this.byId.get(id);
    if (!rec)
      throw new HeimdallError(
        'ConfigError',
        `recording ${id} is not open (open it with openFiles)`,
      );
    return rec;
  }

  /**
   * The recordings of `ids` open now, in a table of their own, so that work which takes its
   * recordings when it starts still reads them if they are closed before it gets to them (a file
   * dropped again closes the copy it replaced). Those in `held` (taken earlier, by a batch) come
   * first. An id open in neither stays missing, and get() throws for it as it does here.
   */
  pick(ids: readonly string[], held?: RecordingTable): RecordingTable {
    const picked = new RecordingTable();
    for (const id of ids) {
      const rec = held?.byId.get(id) ?? this.byId.get(id);
      if (rec) picked.byId.set(id, rec);
    }
    return picked;
  }

  /**
   * Dates each undated KiwiSDR recording open from the dated ones open beside it
   * (readers/kiwiWeek.ts), whichever call opened them: the operator may drop a renamed file
   * before or after the files of its event. Returns the ids of those it dated.
   */
  dateByPeers(): string[] {
    const idOf = new Map([...this.byId].map(([id, rec]) => [rec, id]));
    return dateKiwiRecordingsByPeers([...this.byId.values()]).map((rec) => idOf.get(rec)!);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  entries(ids?: readonly string[]): [string, IqRecording][] {
    return ids ? ids.map((id) => [id, this.get(id)]) : [...this.byId];
  }

  /** Forgets the given recordings (all when no ids); returns how many were open. */
  close(ids?: readonly string[]): number {
    if (!ids) {
      const n = this.byId.size;
      this.byId.clear();
      return n;
    }
    return ids.filter((id) => this.byId.delete(id)).length;
  }
}
