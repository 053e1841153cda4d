import type { Constellation, ManifestEntry } from '../core/modelMetadata';
import { activeEntry } from '../state/selectors';
import { useStore } from '../state/store';

/** The manifest entry in use (see activeEntry); the receivers come from it, never from code. */
export function useActiveEntry(): ManifestEntry | null {
  const manifest = useStore((s) => s.manifest);
  const engine = useStore((s) => s.engine);
  const pinnedVersion = useStore((s) => s.pinnedVersion);
  return activeEntry({ manifest, engine, pinnedVersion });
}

export function useConstellation(): Constellation | null {
  return useActiveEntry()?.constellation ?? null;
}
