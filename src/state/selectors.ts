/** Derived values read both by hooks (React) and by actions (outside React). */
import type { ManifestEntry } from '../core/modelMetadata';
import type { AppState } from './store';

/**
 * The manifest entry being worked with: the version the engine runs, else the pinned one, else
 * production, else the first listed.
 */
export function activeEntry(
  s: Pick<AppState, 'manifest' | 'engine' | 'pinnedVersion'>,
): ManifestEntry | null {
  const models = s.manifest?.models ?? [];
  if (models.length === 0) return null;
  const running = s.engine.state === 'ready' ? s.engine.version : null;
  return (
    models.find((m) => m.version === running) ??
    models.find((m) => m.version === s.pinnedVersion) ??
    models.find((m) => m.stage === 'production') ??
    models[0]
  );
}
