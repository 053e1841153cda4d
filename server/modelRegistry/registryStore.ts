import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { emptyRegistry } from '../../src/core/modelMetadata';
import { loadRegistry, type LoadedRegistry } from '../../src/node/registry';

export interface RegistryStoreEvents {
  onReload?: () => void;
  onReloadError?: () => void;
}

/** Identifies one version of registry.json on disk; an atomic rename changes the inode. */
async function fingerprint(path: string): Promise<string> {
  try {
    const s = await stat(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch (err) {
    return `missing:${(err as NodeJS.ErrnoException).code ?? 'unknown'}`;
  }
}

/**
 * Holds the registry the server answers from. Each read stats registry.json (one syscall) and
 * reloads when it changed, so `heimdall models promote` takes effect on the next request without
 * a restart. A file that fails validation is logged once and the last good registry stays in
 * service; it is retried when the file changes again.
 */
export class RegistryStore {
  readonly registryPath: string;
  private registry: LoadedRegistry;
  private loadedFingerprint = '';
  private failedFingerprint: string | null = null;
  private pending: Promise<void> | null = null;
  private error: string | null = null;
  private loadedAtMs = 0;

  private constructor(
    registryPath: string,
    private readonly log: FastifyBaseLogger,
    private readonly events: RegistryStoreEvents,
  ) {
    this.registryPath = resolve(registryPath);
    this.registry = {
      registryPath: this.registryPath,
      file: emptyRegistry(),
      versions: [],
    };
  }

  /**
   * Loads the registry once. An invalid registry throws (fail fast on an operator's mistake); a
   * missing one starts the server with no models and a warning, because the app itself is usable
   * before any model is installed, and the file is picked up as soon as it appears.
   */
  static async open(
    registryPath: string,
    log: FastifyBaseLogger,
    events: RegistryStoreEvents = {},
  ): Promise<RegistryStore> {
    const store = new RegistryStore(registryPath, log, events);
    const print = await fingerprint(store.registryPath);
    if (print.startsWith('missing:')) {
      store.failedFingerprint = print;
      store.error = `registry file not found: ${store.registryPath}`;
      log.warn(
        { registryPath: store.registryPath },
        'model registry not found; serving no models until it appears',
      );
      return store;
    }
    store.accept(await loadRegistry(store.registryPath), print);
    events.onReload?.();
    return store;
  }

  /** The current registry, reloaded first if registry.json changed on disk. */
  async current(): Promise<LoadedRegistry> {
    const print = await fingerprint(this.registryPath);
    if (print !== this.loadedFingerprint && print !== this.failedFingerprint) {
      this.pending ??= this.reload(print).finally(() => {
        this.pending = null;
      });
      await this.pending;
    }
    return this.registry;
  }

  /** The problem with the file on disk when it is not the one being served, else null. */
  get lastError(): string | null {
    return this.error;
  }

  get loadedAt(): Date | null {
    return this.loadedAtMs ? new Date(this.loadedAtMs) : null;
  }

  private async reload(print: string): Promise<void> {
    try {
      this.accept(await loadRegistry(this.registryPath), print);
      this.log.info(
        { registryPath: this.registryPath, versions: this.versionList() },
        'model registry reloaded',
      );
      this.events.onReload?.();
    } catch (err) {
      this.failedFingerprint = print;
      this.error = err instanceof Error ? err.message : String(err);
      this.log.error(
        { registryPath: this.registryPath, err, servingVersions: this.versionList() },
        'model registry reload failed; keeping the last good registry',
      );
      this.events.onReloadError?.();
    }
  }

  private accept(registry: LoadedRegistry, print: string): void {
    this.registry = registry;
    this.loadedFingerprint = print;
    this.failedFingerprint = null;
    this.error = null;
    this.loadedAtMs = Date.now();
  }

  private versionList(): string[] {
    return this.registry.versions.map((v) => v.entry.version);
  }
}
