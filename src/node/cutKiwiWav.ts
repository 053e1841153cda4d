/**
 * A KiwiSDR IQ WAV cut into consecutive parts of whole blocks (Node only): the header chunks, then
 * part `part` of `parts` of its blocks (a `kiwi` chunk and its `data` chunk), copied byte for
 * byte, so that each part keeps its own GPS stamps. For measuring how a result holds up on less
 * of a recording (training/sliceRealTdoa.ts). A block cut short at the end is left out.
 */
import { HeimdallError } from '../core/errors';
import { readExact } from '../core/readers/byteSource';
import { indexRiff } from '../core/readers/riff';
import { nodeFileSource } from './nodeFileSource';

/** The bytes of a WAV file holding part `part` (0-based) of `parts` of the recording at `path`. */
export async function cutKiwiWav(path: string, part: number, parts: number): Promise<Uint8Array> {
  if (!(
    Number.isInteger(parts) &&
    parts >= 1 &&
    Number.isInteger(part) &&
    part >= 0 &&
    part < parts
  ))
    throw new HeimdallError('ConfigError', `part ${part} of ${parts}: no such part`, path);
  const source = await nodeFileSource(path);
  try {
    const chunks = await indexRiff(source);
    const firstKiwi = chunks.findIndex((c) => c.id === 'kiwi');
    if (firstKiwi < 0)
      throw new HeimdallError('CorruptFileError', 'no kiwi chunk: not a KiwiSDR recording', path);
    // Blocks: a kiwi chunk followed by its data chunk.
    const blocks: { start: number; end: number }[] = [];
    for (let i = firstKiwi; i + 1 < chunks.length; i++) {
      if (chunks[i].id !== 'kiwi' || chunks[i + 1].id !== 'data' || chunks[i + 1].cutBytes)
        continue;
      const d = chunks[i + 1];
      blocks.push({ start: chunks[i].bodyOffset - 8, end: d.bodyOffset + d.size + (d.size & 1) });
    }
    const per = Math.floor(blocks.length / parts);
    if (per < 1)
      throw new HeimdallError(
        'ConfigError',
        `${blocks.length} blocks cannot make ${parts} parts of at least one`,
        path,
      );
    const from = blocks[part * per].start;
    const to = blocks[(part + 1) * per - 1].end;
    const head = await readExact(
      source,
      12,
      chunks[firstKiwi].bodyOffset - 8 - 12,
      'the header chunks',
    );
    const body = await readExact(source, from, to - from, 'the blocks');
    const out = new Uint8Array(12 + head.length + body.length);
    const view = new DataView(out.buffer);
    out.set([0x52, 0x49, 0x46, 0x46], 0); // RIFF
    view.setUint32(4, out.length - 8, true);
    out.set([0x57, 0x41, 0x56, 0x45], 8); // WAVE
    out.set(head, 12);
    out.set(body, 12 + head.length);
    return out;
  } finally {
    await source.close();
  }
}
