import { z } from 'zod';
import {
  DEFAULT_CACHE_MAX_ENTRIES,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_EP_PREFERENCE,
} from '../src/core/engineDefaults';
import { HeimdallError } from '../src/core/errors';
import { EXECUTION_PROVIDERS, type EngineConfig } from './types';

/** Defaults; see types.ts for what each setting means. */
export function defaultConfig(): EngineConfig {
  return {
    serverUrl: globalThis.location?.origin ?? '',
    cacheTtlMs: DEFAULT_CACHE_TTL_MS,
    cacheMaxEntries: DEFAULT_CACHE_MAX_ENTRIES,
    epPreference: [...DEFAULT_EP_PREFERENCE],
    manifestPollMs: 0,
    // Measured on 2-core machines: 1 thread is the stable choice, and the model is small enough
    // that concurrent requests (batched, see sessionRunner.ts) matter more than intra-op threads.
    wasmThreads: 1,
    metricsWindow: 1024,
    maxBatch: 16,
    maxConcurrentScenes: 8,
    stagingShare: null,
  };
}

const providerSchema = z.enum(EXECUTION_PROVIDERS);

const configPatchSchema = z
  .object({
    serverUrl: z.string(),
    cacheTtlMs: z.number().int().nonnegative(),
    cacheMaxEntries: z.number().int().positive(),
    epPreference: z
      .array(providerSchema)
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'providers must not repeat'),
    manifestPollMs: z.number().int().nonnegative(),
    wasmThreads: z.number().int().min(1).max(16),
    metricsWindow: z.number().int().min(16).max(100_000),
    maxBatch: z.number().int().min(1).max(256),
    maxConcurrentScenes: z.number().int().min(1).max(1024),
    stagingShare: z.number().min(0).max(1).nullable(),
  })
  .strict()
  .partial();

/** Validates a partial config and merges it into `current`; ConfigError names the bad setting. */
export function mergeConfig(current: EngineConfig, patch: unknown): EngineConfig {
  const parsed = configPatchSchema.safeParse(patch ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    throw new HeimdallError('ConfigError', `invalid engine settings (${issues.join('; ')})`);
  }
  return { ...current, ...parsed.data };
}

/** An absolute URL for a server path such as `/api/models` under config.serverUrl. */
export function serverUrl(config: EngineConfig, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  const base = config.serverUrl.replace(/\/+$/, '');
  if (!base) {
    throw new HeimdallError('ConfigError', 'no server URL: call configure({ serverUrl }) first');
  }
  return `${base}${path.startsWith('/') ? '' : '/'}${path}`;
}
