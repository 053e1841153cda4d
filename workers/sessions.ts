/**
 * Model sessions in service. Each prepared version lives in a slot that is reference-counted by
 * the predictions using it: a slot is installed only after its warm-up run, a replaced slot is
 * retired and released when its last prediction finishes, so switching versions mid-traffic
 * drops no request and no request ever reaches a half-loaded session.
 */
import { HeimdallError } from '../src/core/errors';
import type { ManifestEntry, ModelMetadata } from '../src/core/modelMetadata';
import { SceneFeaturizer } from '../src/core/sceneFeatures';
import { releaseSession, type OrtSession } from './ort';
import type { BatchingRunner } from './sessionRunner';
import type { ExecutionProvider, PreparedModel } from './types';

export type Role = 'active' | 'staging';

export class SessionSlot {
  private refs = 0;
  private retired = false;
  private disposed = false;
  readonly featurizer: SceneFeaturizer;
  /** What prepare() reported for this slot, once it finished. */
  prepared: PreparedModel | null = null;

  constructor(
    readonly version: string,
    readonly metadata: ModelMetadata,
    readonly entry: ManifestEntry,
    readonly executionProvider: ExecutionProvider,
    /** preprocessingHash(metadata.preprocessing). */
    readonly prepHash: string,
    private readonly session: OrtSession,
    readonly runner: BatchingRunner,
    /** See releaseSession in ort.ts. */
    private readonly releaseSafe: () => boolean = () => true,
  ) {
    this.featurizer = new SceneFeaturizer(metadata.preprocessing);
  }

  get isRetired(): boolean {
    return this.retired;
  }

  acquire(): this {
    if (this.retired)
      throw new HeimdallError('ModelLoadError', `model ${this.version} was taken out of service`);
    this.refs++;
    return this;
  }

  release(): void {
    this.refs--;
    this.disposeIfIdle();
  }

  retire(): void {
    this.retired = true;
    this.disposeIfIdle();
  }

  private disposeIfIdle(): void {
    if (!this.retired || this.refs > 0 || this.disposed) return;
    this.disposed = true;
    void releaseSession(this.session, this.releaseSafe).catch(() => undefined);
  }
}

export type PoolMode = 'ab' | 'pinned' | 'none';

export class SessionPool {
  private readonly slots = new Map<Role, SessionSlot>();
  private readonly tickets = new Map<Role, number>();
  mode: PoolMode = 'none';

  get(role: Role): SessionSlot | undefined {
    return this.slots.get(role);
  }

  /** A ticket for a prepare that will install into `role`; a later ticket supersedes it. */
  reserve(role: Role): number {
    const ticket = (this.tickets.get(role) ?? 0) + 1;
    this.tickets.set(role, ticket);
    return ticket;
  }

  isCurrent(role: Role, ticket: number): boolean {
    return this.tickets.get(role) === ticket;
  }

  /** Puts a warmed slot in service; the slot it replaces is retired (released once idle). */
  install(role: Role, slot: SessionSlot): SessionSlot | undefined {
    const old = this.slots.get(role);
    this.slots.set(role, slot);
    if (old && old !== slot) old.retire();
    return old;
  }

  remove(role: Role): SessionSlot | undefined {
    const old = this.slots.get(role);
    this.slots.delete(role);
    this.reserve(role); // a prepare still running for this role must not install afterwards
    old?.retire();
    return old;
  }

  /** Acquires the slot of `role`; ModelLoadError when none is ready. */
  acquire(role: Role): SessionSlot {
    const slot = this.slots.get(role);
    if (!slot) {
      throw new HeimdallError(
        'ModelLoadError',
        role === 'active' ? 'no model is ready: call prepare() first' : 'no staging model is ready',
      );
    }
    return slot.acquire();
  }

  roleOf(version: string): Role | undefined {
    for (const [role, slot] of this.slots) if (slot.version === version) return role;
    return undefined;
  }

  disposeAll(): void {
    for (const role of [...this.slots.keys()]) this.remove(role);
    this.mode = 'none';
  }
}
