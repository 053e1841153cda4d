/**
 * Which model is active, one rule for the worker (the receivers it groups recordings for) and
 * the UI (the receivers it shows, the model panel): the version the engine serves; before one
 * serves, the version the operator pinned; else the production version; else the first listed.
 */
export interface ModelChoice {
  /** The version the engine serves now (its active session), if any. */
  serving?: string | null;
  /** The version the operator pinned, if any. */
  pinned?: string | null;
}

export function activeModel<T extends { version: string; stage: string }>(
  models: readonly T[],
  choice: ModelChoice = {},
): T | null {
  if (models.length === 0) return null;
  const byVersion = (v: string | null | undefined) =>
    v ? models.find((m) => m.version === v) : undefined;
  return (
    byVersion(choice.serving) ??
    byVersion(choice.pinned) ??
    models.find((m) => m.stage === 'production') ??
    models[0]
  );
}
