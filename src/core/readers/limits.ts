import { HeimdallError } from '../errors';

/*
 * The bounds every reader holds to, whatever a file's header claims. A header field is checked
 * against these before anything is sized or looped over from it, so no input can make a reader
 * allocate, loop or read beyond them.
 */

/**
 * Sample rates we read, in complex samples per second. Below 1 kHz a recording cannot hold the
 * model's 12 kHz band, and resampling up from it would multiply the samples without bound (a
 * rate of 0.001 Hz once asked for a 14.8 GB array). Above 10 MHz (Airspy, SDRplay and rtl-sdr
 * recordings are below it) one model window (0.704 s) would already be 7 million samples to
 * read and filter per receiver; decimate such recordings first.
 */
export const MIN_SAMPLE_RATE_HZ = 1_000;
export const MAX_SAMPLE_RATE_HZ = 10_000_000;

/** SigMF metadata is JSON read whole; a real one is kilobytes, a big annotated one megabytes. */
export const MAX_META_BYTES = 16 * 1024 * 1024;
/** SigMF capture segments per recording (each becomes a segment index entry). */
export const MAX_SIGMF_CAPTURES = 100_000;

/** Members of a tar archive indexed before we give up (a .sigmf holds a few pairs). */
export const MAX_TAR_MEMBERS = 10_000;
/** A pax extended header or GNU long name is read whole: a few records, never megabytes. */
export const MAX_TAR_EXTENDED_HEADER_BYTES = 1024 * 1024;

/**
 * RIFF chunks indexed in one WAV. A KiwiSDR file has two chunks per 2 kB of samples, so this
 * covers about 2 GB of KiwiSDR samples (11 hours at 12 kHz); a file of empty chunks stops here.
 */
export const MAX_RIFF_CHUNKS = 2_000_000;

/**
 * Float samples are full scale 1.0; one beyond this magnitude is not a sample but a misread
 * (cf32_be declared over little-endian data gives values like 1e30), and its square would
 * overflow float32 power into Infinity.
 */
export const MAX_FLOAT_SAMPLE_MAGNITUDE = 1e9;

function hz(rate: number): string {
  return rate >= 1e6 ? `${rate / 1e6} MHz` : rate >= 1e3 ? `${rate / 1e3} kHz` : `${rate} Hz`;
}

/** A sample rate from a header or the user, or a named error saying why it is refused. */
export function checkSampleRate(rateHz: number, fileName: string, field: string): number {
  if (!Number.isFinite(rateHz) || rateHz <= 0) {
    throw new HeimdallError(
      'CorruptFileError',
      `${field} ${rateHz} is not a sample rate (a positive number of Hz)`,
      fileName,
    );
  }
  if (rateHz < MIN_SAMPLE_RATE_HZ || rateHz > MAX_SAMPLE_RATE_HZ) {
    throw new HeimdallError(
      'UnsupportedFormatError',
      `${field} ${rateHz} Hz is outside the sample rates we read ` +
        `(${hz(MIN_SAMPLE_RATE_HZ)} to ${hz(MAX_SAMPLE_RATE_HZ)}); resample the recording first`,
      fileName,
    );
  }
  return rateHz;
}
