import { HeimdallError } from '../errors';
import { parseAuxi } from './auxiChunk';
import { readExact, type ByteSource } from './byteSource';
import { parseKiwiFileName, parseSdrFileName, type KiwiFileName } from './fileNameMetadata';
import { kiwiStartUtcMs } from './kiwiWeek';
import { indexRiff, type RiffChunk } from './riff';
import { segmentedRecording, type SampleSegment } from './segmentedRecording';
import type { IqRecording, RecordingInfo } from './types';
import { KIWI_CHUNK_BYTES, kiwiStampsOf, readKiwiStamps } from '../tdoa/kiwiStamps';
import { parseWavFormat } from './wavFormat';

// kiwirecorder.py writes each IQ block as a 10-byte `kiwi` chunk (uint8 last_gps_solution,
// uint8 0, uint32 gpssec, uint32 gpsnsec) followed by its `data` chunk (kiwi/wavreader.py reads
// the same layout back); kiwiStamps.ts reads every block's stamp.
// The name's time is the PC clock at the first write, a second or two from the GPS time; a PC
// clock further off than this is worth telling the operator (the GPS time is used either way).
const MAX_GPS_NAME_DISAGREEMENT_MS = 60_000;

/** Time, frequency, mode and station from a kiwirecorder file name, where the reader left them. */
function kiwiNameMetadata(name: KiwiFileName, info: RecordingInfo): void {
  info.centerFrequencyHz ??= name.centerFrequencyHz;
  if (!info.captureTime) {
    info.captureTime = name.captureTime;
    info.extra.captureTimeSource = 'file-name';
  }
  info.extra.mode = name.mode;
  if (name.station) info.receiverHint ??= name.station;
}

/** Time, frequency and station of a KiwiSDR IQ WAV: from its name, the time refined by GPS. */
function kiwiMetadata(fileName: string, kiwiChunks: RiffChunk[], info: RecordingInfo): void {
  const name = parseKiwiFileName(fileName);
  info.extra.kiwiChunks = kiwiChunks.length;
  // The first block's stamp, from the table already read (readKiwiStamps skips a short chunk,
  // so its first row is the first block's only when that chunk is whole).
  const table = kiwiStampsOf(info.extra);
  if (table && table.gpsSec.length > 0 && kiwiChunks[0].size >= KIWI_CHUNK_BYTES) {
    info.extra.gps = {
      lastSolution: table.lastSolution[0],
      gpsSec: table.gpsSec[0],
      gpsNsec: table.gpsNsec[0],
    };
  }
  if (!name) return;
  kiwiNameMetadata(name, info);
  // The stamps are GPS time of week; the name's date picks the week. The name's time is the
  // recording PC's clock: one minutes or hours off would put the file in a scene of its own, so
  // the GPS time wins, and the difference is kept for the operator.
  const nameMs = Date.parse(name.captureTime);
  const gpsMs = kiwiStartUtcMs(info, nameMs);
  if (gpsMs === undefined) return;
  info.captureTime = new Date(gpsMs).toISOString();
  info.extra.captureTimeSource = 'gps';
  if (Math.abs(gpsMs - nameMs) > MAX_GPS_NAME_DISAGREEMENT_MS)
    info.extra.nameClockErrorS = Math.round((nameMs - gpsMs) / 1000);
}

/**
 * An IQ WAV: KiwiSDR (kiwirecorder.py: `kiwi` chunks with GPS stamps between many `data`
 * chunks), SpectraVue-style `auxi` metadata (SDR#, HDSDR, SDRuno...), or a plain stereo WAV.
 * Samples spread over several data chunks are indexed so any window can be read.
 */
export async function openWav(source: ByteSource): Promise<IqRecording> {
  const chunks = await indexRiff(source);
  const fmtChunk = chunks.find((c) => c.id === 'fmt ');
  if (!fmtChunk)
    throw new HeimdallError('CorruptFileError', 'the WAV file has no fmt chunk', source.name);
  const fmt = parseWavFormat(
    await readExact(source, fmtChunk.bodyOffset, Math.min(fmtChunk.size, 40), 'the fmt chunk'),
    source.name,
  );
  const bps = fmt.codec.bytesPerSample;
  const segments: SampleSegment[] = [];
  for (const c of chunks) {
    if (c.id !== 'data') continue;
    if (c.cutBytes !== undefined) {
      // The last block of a KiwiSDR recording cut short (indexRiff): its whole samples count.
      segments.push({ byteOffset: c.bodyOffset, sampleCount: Math.floor(c.size / bps) });
      continue;
    }
    if (c.size % bps !== 0) {
      throw new HeimdallError(
        'TruncatedFileError',
        `the data chunk at byte ${c.bodyOffset - 8} has ${c.size} bytes, not a whole number of ${bps}-byte samples`,
        source.name,
      );
    }
    segments.push({ byteOffset: c.bodyOffset, sampleCount: c.size / bps });
  }
  const totalSamples = segments.reduce((sum, s) => sum + s.sampleCount, 0);
  if (totalSamples === 0)
    throw new HeimdallError('CorruptFileError', 'the WAV file holds no samples', source.name);

  const info: RecordingInfo = {
    name: source.name,
    format: 'wav',
    datatype: fmt.codec.datatype,
    sampleRateHz: fmt.sampleRateHz,
    totalSamples,
    extra: { dataChunks: segments.length },
  };
  const cut = chunks.find((c) => c.cutBytes !== undefined);
  if (cut) info.extra.cutBytes = cut.cutBytes;
  const kiwiChunks = chunks.filter((c) => c.id === 'kiwi');
  const auxiChunk = chunks.find((c) => c.id === 'auxi');
  const auxi =
    auxiChunk &&
    parseAuxi(
      await readExact(source, auxiChunk.bodyOffset, Math.min(auxiChunk.size, 64), 'the auxi chunk'),
    );
  if (kiwiChunks.length > 0) {
    info.format = 'kiwi-wav';
    // Every block's GPS stamp, for TDoA (typed arrays: they survive structured clone).
    info.extra.kiwiStamps = await readKiwiStamps(source, chunks, bps);
    kiwiMetadata(source.name, kiwiChunks, info);
  } else {
    if (auxi) {
      info.format = 'wav-auxi';
      info.captureTime = auxi.startTime;
      if (auxi.stopTime) info.extra.stopTime = auxi.stopTime;
      if (auxi.centerFrequencyHz !== undefined) info.centerFrequencyHz = auxi.centerFrequencyHz;
    }
    // The name fills what the auxi chunk (if any) left out. kiwirecorder without --kiwi-wav writes
    // a plain stereo WAV under its usual name: its time, frequency and station still count (so it
    // joins its scene, and TDoA says it lacks GPS stamps rather than a capture time).
    const kiwiName = parseKiwiFileName(source.name);
    const named = parseSdrFileName(source.name);
    if (kiwiName) kiwiNameMetadata(kiwiName, info);
    else if (named) {
      info.captureTime ??= named.captureTime;
      info.centerFrequencyHz ??= named.centerFrequencyHz;
    }
  }
  return segmentedRecording(info, source, segments, fmt.codec);
}
