import { useStore } from '../state/store';
import type { SceneGrouping } from '../state/types';

/** The open recordings' scenes, as the worker grouped them (kept current by sceneActions.ts). */
export function useScenes(): SceneGrouping {
  return useStore((s) => s.grouping);
}
