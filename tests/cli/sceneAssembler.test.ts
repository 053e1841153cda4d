import { describe, expect, it } from 'vitest';
import { trainingConfig } from '../../training/loadConfig';
import { printable } from '../../src/cli/printable';
import { SceneAssembler } from '../../src/cli/sceneAssembler';
import type { GroupableInfo } from '../../src/core/scene/placement';
import { inNetworkOrder } from '../../src/core/scene/network';

const { constellation } = trainingConfig();
const ids = constellation.receivers.map((r) => r.id);
type Rec = { info: GroupableInfo };
const rec = (rx: string, second: number): Rec => ({
  info: {
    name: `${rx}-${second}`,
    receiverHint: rx,
    captureTime: new Date(Date.UTC(2026, 0, 1, 12, 0, second)).toISOString(),
  },
});

describe('SceneAssembler', () => {
  it('hands out a scene the moment its last receiver arrives', () => {
    const a = new SceneAssembler<Rec>(constellation);
    expect(a.add(rec(ids[0], 0))).toEqual({});
    expect(a.add(rec(ids[1], 1))).toEqual({});
    const { scene } = a.add(rec(ids[2], 0));
    expect(scene?.id).toBe('2026-01-01T12:00:00.000Z');
    expect(inNetworkOrder(scene!, constellation).map((r) => r.info.name)).toEqual([
      `${ids[0]}-0`,
      `${ids[1]}-1`,
      `${ids[2]}-0`,
    ]);
    expect(a.pendingScenes).toBe(0);
  });

  it('groups files given receiver by receiver, and reports what stays incomplete', () => {
    const a = new SceneAssembler<Rec>(constellation);
    const complete = [];
    for (const rx of ids)
      for (const t of [0, 10, 20]) {
        if (rx === ids[2] && t === 20) continue;
        const { scene, error } = a.add(rec(rx, t));
        expect(error).toBeUndefined();
        if (scene) complete.push(scene.id);
      }
    expect(complete).toEqual(['2026-01-01T12:00:00.000Z', '2026-01-01T12:00:10.000Z']);
    const left = a.finish();
    expect(left.map((s) => [s.id, s.missing.map((m) => m.id)])).toEqual([
      ['2026-01-01T12:00:20.000Z', [ids[2]]],
    ]);
  });

  it('refuses a second recording of a receiver, and a recording without time or receiver', () => {
    const a = new SceneAssembler<Rec>(constellation);
    a.add(rec(ids[0], 0));
    const second = a.add(rec(ids[0], 1)).error;
    expect(second?.name).toBe('SceneIncompleteError');
    expect(second?.message).toMatch(/second recording of receiver .*\(the first is .+\).*left out/);
    expect(a.add({ info: { name: 'x', receiverHint: ids[0] } }).error?.name).toBe(
      'MissingParameterError',
    );
    expect(a.add({ info: { name: 'x', captureTime: '2026-01-01T12:00:00Z' } }).error?.name).toBe(
      'ReceiverUnknownError',
    );
  });
});

describe('printable', () => {
  it('escapes control characters and leaves the rest', () => {
    expect(printable('a\x1b[2Jb\r\n\x7f\u202e ok é')).toBe('a\\x1b[2Jb\\x0d\\x0a\\x7f\\u202e ok é');
  });
});
