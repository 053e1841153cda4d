/**
 * Model sessions in service. Each prepared version lives in a slot that is reference-counted by
 * the predictions using it: a slot is installed only after its warm-up run, a replaced slot is
 * retired and released when its last prediction finishes, so switching versions mid-traffic
 * drops no request and no request ever reaches a half-loaded session.
 */
import { HeimdallError } from '../src/core/errors';
import type { ManifestEntry, ModelMetadata, Preprocessing } from '../src/core/modelMetadata';
import type { NetworkModelMetadata } from '../src/core/networkModelMetadata';
import type { NetworkManifestEntry } from '../src/core/servingManifest';
import { SceneFeaturizer } from '../src/core/sceneFeatures';
import type { NetworkRunner } from './networkRunner';
import { releaseSession, type OrtSession } from './ort';
import type { RunOutput } from './sessionRunner';
import type { ExecutionProvider, PreparedModel } from './types';

/** active/staging: the fixed-network A/B arms; network: the any-network model (issue 13). */
export type Role = 'active' | 'staging' | 'network';
export type FixedRole = Exclude<Role, 'network'>;

/** What runs a fixed-network model's scenes: BatchingRunner (sessionRunner.ts), or cacheFirst.ts's stand-in. */
export interface SceneRunner {
  /** `alone`: see BatchingRunner.run. */
  run(features: Float32Array, alone?: boolean): Promise<RunOutput>;
}

/** A version in service: a fixed-network model by default, or an any-network one (NetworkSlot). */
export class SessionSlot<
  M extends { preprocessing: Preprocessing } = ModelMetadata,
  E extends { sha256: string } = ManifestEntry,
  R = SceneRunner,
> {
  private refs = 0;
  private retired = false;
  private disposed = false;
  readonly featurizer: SceneFeaturizer;
  /** What prepare() reported for this slot, once it finished. */
  prepared: PreparedModel | null = null;

  constructor(
    readonly version: string,
    readonly metadata: M,
    readonly entry: E,
    readonly executionProvider: ExecutionProvider,
    /** preprocessingHash(metadata.preprocessing). */
    readonly prepHash: string,
    /** Null while the version answers from the cache only (cacheFirst.ts). */
    private readonly session: OrtSession | null,
    readonly runner: R,
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
    if (this.session) void releaseSession(this.session, this.releaseSafe).catch(() => undefined);
  }
}

export type NetworkSlot = SessionSlot<NetworkModelMetadata, NetworkManifestEntry, NetworkRunner>;
export type AnySlot = SessionSlot | NetworkSlot;

export type PoolMode = 'ab' | 'pinned' | 'none';

export class SessionPool {
  private readonly slots = new Map<Role, AnySlot>();
  private readonly tickets = new Map<Role, number>();
  mode: PoolMode = 'none';

  get(role: 'network'): NetworkSlot | undefined;
  get(role: FixedRole): SessionSlot | undefined;
  get(role: Role): AnySlot | undefined;
  get(role: Role): AnySlot | undefined {
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
  install(role: Role, slot: AnySlot): AnySlot | undefined {
    const old = this.slots.get(role);
    this.slots.set(role, slot);
    if (old && old !== slot) old.retire();
    return old;
  }

  remove(role: Role): AnySlot | undefined {
    const old = this.slots.get(role);
    this.slots.delete(role);
    this.reserve(role); // a prepare still running for this role must not install afterwards
    old?.retire();
    return old;
  }

  /** Acquires the slot of `role`; ModelLoadError when none is ready. */
  acquire(role: 'network'): NetworkSlot;
  acquire(role: FixedRole): SessionSlot;
  acquire(role: Role): AnySlot;
  acquire(role: Role): AnySlot {
    const slot = this.slots.get(role);
    if (!slot) {
      throw new HeimdallError(
        'ModelLoadError',
        role === 'active'
          ? 'no model is ready: call prepare() first'
          : `no ${role === 'staging' ? 'staging' : 'any-network'} model is ready`,
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
