/**
 * The command line's batch: folders, either file of a SigMF pair, command lines past the size
 * that crashed onnxruntime-node, and hostile files mixed with good scenes.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_DIR, loadManifest } from '../fuzz/corpusCase';
import { heimdall, jsonLines } from './heimdall';

const GOOD_SCENES = 3;

describe('command line: streaming batch', () => {
  let dir: string;
  let scenes: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'heimdall-stream-'));
    scenes = join(dir, 'scenes');
    const sim = await heimdall([
      'simulate',
      '--scenes',
      String(GOOD_SCENES),
      '--seed',
      '5',
      '--out',
      scenes,
      '--duration',
      '0.75',
    ]);
    expect(sim.code, sim.stderr).toBe(0);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('walks a folder recursively and locates every scene in it', async () => {
    const nested = join(dir, 'nested');
    await mkdir(join(nested, 'a', 'b'), { recursive: true });
    for (const f of await readdir(scenes)) {
      const sub = f.startsWith('s00000') ? nested : join(nested, 'a', 'b');
      await copyFile(join(scenes, f), join(sub, f));
    }
    await writeFile(join(nested, 'README.txt'), 'not a recording: skipped in a folder');
    const out = await heimdall(['locate', nested, '--json']);
    expect(out.code, out.stderr).toBe(0);
    expect(jsonLines(out.stdout)).toHaveLength(GOOD_SCENES);
  });

  it('accepts the metadata file alone, or the dataset alone, as SigMF tools do', async () => {
    const metas = ['aquila-giaveno', 'milano-baggio', 'genova'].map((r) =>
      join(scenes, `s00001-${r}.sigmf-meta`),
    );
    const byMeta = await heimdall(['locate', ...metas, '--json']);
    expect(byMeta.code, byMeta.stderr).toBe(0);
    expect(jsonLines(byMeta.stdout)).toHaveLength(1);
    const datas = metas.map((m) => m.replace(/meta$/, 'data'));
    const byData = await heimdall(['locate', ...datas, '--json']);
    expect(byData.code, byData.stderr).toBe(0);
    expect(jsonLines(byData.stdout)).toEqual(jsonLines(byMeta.stdout));
  });

  it('survives a command line longer than the 28 KB that crashed onnxruntime-node', async () => {
    // Long folder names make the shell-glob case (every path spelled out) cheaply: 6 paths per
    // scene of about 2 KB each.
    let deep = join(dir, 'long');
    for (let i = 0; i < 8; i++) deep = join(deep, `${'x'.repeat(240)}${i}`);
    await mkdir(deep, { recursive: true });
    const files: string[] = [];
    for (const f of await readdir(scenes)) {
      await copyFile(join(scenes, f), join(deep, f));
      files.push(join(deep, f));
    }
    expect(files.join(' ').length).toBeGreaterThan(30_000);
    const out = await heimdall(['locate', ...files, '--json']);
    expect(out.signal).toBeNull();
    expect(out.code, out.stderr).toBe(0);
    expect(jsonLines(out.stdout)).toHaveLength(GOOD_SCENES);
  });

  it('prints every good scene among hostile files, names each bad one, exits non-zero', async () => {
    const mixed = join(dir, 'mixed');
    await mkdir(mixed);
    for (const f of await readdir(scenes)) await copyFile(join(scenes, f), join(mixed, f));
    const hostile = loadManifest().flatMap((c) => c.files);
    for (const f of hostile) await copyFile(join(HOSTILE_DIR, 'files', f), join(mixed, f));
    // A named pipe blocked the open; a name with terminal escapes was printed raw.
    await promisify(execFile)('mkfifo', [join(mixed, 'pipe.wav')]);
    const evil = 'evil\x1b[2J\rname.wav';
    await writeFile(join(mixed, evil), 'RIFF');

    const out = await heimdall(['locate', mixed, '--json'], 300_000);
    expect(out.signal).toBeNull();
    expect(out.code).toBe(1);
    const lines = jsonLines(out.stdout);
    expect(lines).toHaveLength(GOOD_SCENES);
    expect(new Set(lines.map((l) => l.scene)).size).toBe(GOOD_SCENES);
    expect(out.stderr).toMatch(/pipe\.wav: is a named pipe, not a regular file/);
    expect(out.stderr).toContain('pax-size-negative.sigmf');
    expect(out.stderr).toContain('rate-0.001.sigmf-meta');
    expect(out.stderr).toContain('evil\\x1b[2J\\x0dname.wav');
    expect(out.stderr).not.toContain('\x1b');
    expect(out.stderr).not.toContain('\r');
    expect(out.stderr).toMatch(/problem\(s\); the other 3 scenes were located\n$/);
  }, 320_000);

  it('says no scene was located when none was', async () => {
    const bad = join(dir, 'bad');
    await mkdir(bad);
    await copyFile(join(HOSTILE_DIR, 'files', 'tar-gzip.sigmf'), join(bad, 'x.sigmf'));
    const out = await heimdall(['locate', bad]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/x\.sigmf: the file is gzip-compressed/);
    expect(out.stderr).toMatch(/1 problem\(s\); no scene was located/);
    expect(out.stderr).not.toMatch(/other scenes/);
  });

  it('reports a missing path and an empty folder by name', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const none = await heimdall(['locate', empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no recording was found in the paths given/);
    const missing = await heimdall(['locate', join(dir, 'nope.wav')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.wav: cannot be opened \(no such file\)/);
  });
});
