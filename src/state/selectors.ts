/** Derived values read both by hooks (React) and by actions (outside React). */
import { activeModel } from '../core/activeModel';
import type { ManifestEntry } from '../core/modelMetadata';
import type { AppState } from './store';

/** The manifest entry being worked with, by the one rule of src/core/activeModel.ts. */
export function activeEntry(
  s: Pick<AppState, 'manifest' | 'engine' | 'pinnedVersion'>,
): ManifestEntry | null {
  return activeModel(s.manifest?.models ?? [], {
    serving: s.engine.state === 'ready' ? s.engine.version : null,
    pinned: s.pinnedVersion,
  });
}
