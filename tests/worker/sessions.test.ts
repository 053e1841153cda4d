import { describe, expect, it } from 'vitest';
import { SessionPool, SessionSlot } from '../../workers/sessions';
import type { OrtSession } from '../../workers/ort';
import type { BatchingRunner } from '../../workers/sessionRunner';
import metadataJson from '../fixtures/models/tiny-1.0.0/metadata.json';
import { modelMetadataSchema, type ManifestEntry } from '../../src/core/modelMetadata';

const metadata = modelMetadataSchema.parse(metadataJson);

function slot(version: string) {
  const released: string[] = [];
  const session = { release: async () => void released.push(version) } as unknown as OrtSession;
  const entry = {
    ...metadata,
    stage: 'production',
    weight: 1,
    path: version,
    url: '',
    metadataUrl: '',
  } as ManifestEntry;
  const s = new SessionSlot(
    version,
    { ...metadata, version },
    entry,
    'wasm',
    'hash',
    session,
    {} as BatchingRunner,
  );
  return { s, released };
}

describe('SessionPool reference counting', () => {
  it('releases a replaced session only after its last request', () => {
    const pool = new SessionPool();
    const a = slot('1.0.0');
    const b = slot('1.1.0');
    pool.install('active', a.s);
    const held1 = pool.acquire('active');
    const held2 = pool.acquire('active');
    pool.install('active', b.s);
    expect(pool.acquire('active')).toBe(b.s); // new requests go to the new slot at once
    expect(a.released).toEqual([]);
    held1.release();
    expect(a.released).toEqual([]);
    held2.release();
    expect(a.released).toEqual(['1.0.0']);
    expect(b.released).toEqual([]);
  });

  it('never hands out a retired slot, and lets only the latest prepare install', () => {
    const pool = new SessionPool();
    const a = slot('1.0.0');
    pool.install('active', a.s);
    pool.remove('active');
    expect(a.released).toEqual(['1.0.0']);
    expect(() => pool.acquire('active')).toThrow(/prepare\(\)/);
    expect(() => a.s.acquire()).toThrow(/out of service/);
    const first = pool.reserve('staging');
    const second = pool.reserve('staging');
    expect(pool.isCurrent('staging', first)).toBe(false);
    expect(pool.isCurrent('staging', second)).toBe(true);
  });
});
