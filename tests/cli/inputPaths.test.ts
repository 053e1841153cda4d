import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandInputs } from '../../src/cli/inputPaths';

const dir = mkdtempSync(join(tmpdir(), 'heimdall-input-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function paths(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const item of expandInputs(args)) out.push('path' in item ? item.path : 'error');
  return out;
}

describe('expandInputs', () => {
  it('yields a file named twice (as itself, inside a folder given too, through a link) once', async () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.wav'), 'a');
    writeFileSync(join(dir, 'sub', 'b.wav'), 'b');
    writeFileSync(join(dir, 'README.md'), 'not a recording');
    symlinkSync(join(dir, 'a.wav'), join(dir, 'link-to-a.wav'));
    expect(
      await paths([join(dir, 'a.wav'), dir, join(dir, 'a.wav'), join(dir, 'sub', 'b.wav')]),
    ).toEqual([join(dir, 'a.wav'), join(dir, 'sub', 'b.wav')]);
    // A missing file is still passed on (opening it names it), as often as it is named.
    expect(await paths([join(dir, 'gone.wav'), join(dir, 'gone.wav')])).toEqual([
      join(dir, 'gone.wav'),
      join(dir, 'gone.wav'),
    ]);
  });
});
