/**
 * Polls the manifest so an operator's promotion reaches running clients: in A/B mode a newly
 * promoted production version is prepared in the background and swapped in once warm (requests
 * keep flowing to the old one meanwhile), and the staging arm follows the manifest's weights.
 * A pinned version is the caller's choice and is left alone.
 */
import type { Engine } from './engine';
import { errorInfo } from './errorInfo';
import { loadManifest } from './loadManifest';
import { prepare, syncStaging } from './prepareModel';

export type PollOutcome = 'unchanged' | 'switched' | 'staging-updated' | 'failed' | 'busy';

const busy = new WeakSet<Engine>();

export async function pollManifestOnce(engine: Engine): Promise<PollOutcome> {
  if (busy.has(engine)) return 'busy';
  busy.add(engine);
  try {
    await loadManifest(engine);
    if (engine.pool.mode !== 'ab') return 'unchanged';
    const { production, staging } = engine.arms();
    const active = engine.pool.get('active');
    if (
      production &&
      (active?.version !== production.version || active.entry.sha256 !== production.sha256)
    ) {
      await prepare(engine, undefined);
      return 'switched';
    }
    const before = engine.pool.get('staging');
    await syncStaging(engine, staging, () => undefined);
    return engine.pool.get('staging') !== before ? 'staging-updated' : 'unchanged';
  } catch (err) {
    engine.events.emit({ type: 'model-error', version: 'manifest', error: errorInfo(err) });
    return 'failed';
  } finally {
    busy.delete(engine);
  }
}

export function restartManifestPolling(engine: Engine): void {
  engine.setPollTimer(engine.config.manifestPollMs, () => void pollManifestOnce(engine));
}
