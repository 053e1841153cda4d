import { HeimdallError, isHeimdallError } from '../errors';
import { sliceSource, type ByteSource } from './byteSource';
import { openSigmfPair } from './sigmf';
import { pairSigmf, type FileError } from './sigmfPairs';
import { indexTar } from './tar';
import type { IqRecording } from './types';

/**
 * Every recording inside a `.sigmf` archive (a tar holding `.sigmf-meta`/`.sigmf-data` pairs,
 * usually one folder per recording). Members are read in place through slices of the archive;
 * a bad pair is reported in `errors` without hiding the good ones. Members are named
 * `archive.sigmf/path/in/archive`.
 */
export async function openSigmfArchive(
  archive: ByteSource,
): Promise<{ recordings: IqRecording[]; errors: FileError[] }> {
  const members = (await indexTar(archive)).map((m) =>
    sliceSource(archive, m.offset, m.size, `${archive.name}/${m.path}`),
  );
  const { pairs, errors } = pairSigmf(members, (m) => m.name);
  if (pairs.length === 0 && errors.length === 0) {
    throw new HeimdallError(
      'CorruptFileError',
      'the archive holds no .sigmf-meta/.sigmf-data pair',
      archive.name,
    );
  }
  const recordings: IqRecording[] = [];
  for (const { meta, data } of pairs) {
    try {
      recordings.push(await openSigmfPair(meta, data, 'sigmf-archive'));
    } catch (err) {
      if (!isHeimdallError(err)) throw err;
      errors.push({ file: err.file ?? data.name, error: err });
    }
  }
  return { recordings, errors };
}
