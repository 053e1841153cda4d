import { useMemo } from 'react';
import { deriveScenes, type DerivedScenes } from '../state/scenes';
import { useStore } from '../state/store';
import { useConstellation } from './useConstellation';

/** Scenes of the open recordings under the active model's constellation, recomputed on change. */
export function useScenes(): DerivedScenes {
  const recordings = useStore((s) => s.recordings);
  const constellation = useConstellation();
  return useMemo(() => deriveScenes(recordings, constellation), [recordings, constellation]);
}
