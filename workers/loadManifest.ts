import type { Manifest } from '../src/core/modelMetadata';
import { markPhase } from '../src/core/phaseMark';
import type { ServingManifest } from '../src/core/servingManifest';
import type { Engine } from './engine';
import { loadManifestFrom, manifestArms, type LoadedManifest } from './manifest';

export type ManifestResult = ServingManifest & { source: LoadedManifest['source'] };

function armsKey(m: Manifest): string {
  const { production, staging } = manifestArms(m);
  return `${production?.version}|${staging?.version}:${staging?.weight}|${production?.weight}`;
}

/** Fetches the manifest (or the stored one when offline) and tells subscribers when the arms changed. */
export async function loadManifest(engine: Engine): Promise<ManifestResult> {
  const previous = engine.manifest?.manifest;
  const loaded = await loadManifestFrom(engine.deps.fetch, engine.config, engine.stores);
  engine.manifest = loaded;
  markPhase('manifest');
  if (!previous || armsKey(previous) !== armsKey(loaded.manifest)) {
    const { production, staging } = manifestArms(loaded.manifest);
    engine.events.emit({
      type: 'manifest',
      generated: loaded.manifest.generated,
      production: production?.version ?? null,
      staging: staging?.version ?? null,
    });
  }
  return { ...loaded.manifest, source: loaded.source };
}
