import type { TdoaExportRow } from '../core/exportFormats';
import { ustarParts } from '../core/live/ustarWriter';
import { tdoaSigmfCollection, type TdoaSigmfRecording } from '../core/tdoaSigmf';
import { downloadBlob } from './download';

/** Saves a TDoA result's SigMF collection as one `.sigmf` archive (ustar, as SigMF specifies). */
export async function downloadTdoaSigmf(
  fileName: string,
  row: TdoaExportRow,
  recordings: readonly TdoaSigmfRecording[],
): Promise<void> {
  const files = await tdoaSigmfCollection(row.result, recordings, row.place);
  const mtimeS = Math.floor(Date.now() / 1000);
  const parts = ustarParts(
    files.map((f) => ({ path: f.name, parts: [new TextEncoder().encode(f.text)], mtimeS })),
  );
  downloadBlob(fileName, parts, 'application/x-tar');
}
