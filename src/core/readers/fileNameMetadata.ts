/** Metadata that recorders put in the file names they generate. */

/** ISO 8601 UTC of the date and time fields, or undefined when they are not a real instant. */
function utcFromFields(fields: readonly string[]): string | undefined {
  const [year, month, day, hour, minute, second] = fields.map(Number);
  const t = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 31 February over into March: such a name holds no date.
  const real =
    t.getUTCMonth() === month - 1 &&
    t.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  return real ? t.toISOString() : undefined;
}

function baseName(fileName: string): string {
  return fileName.slice(fileName.lastIndexOf('/') + 1);
}

/**
 * kiwirecorder.py (jks-prv/kiwiclient) names its files
 * `%Y%m%dT%H%M%SZ_<frequency Hz>[_<station>]_<mode>.wav`, e.g. `20231104T120000Z_145500000_iq.wav`
 * or `20231104T120000Z_7040000_dl0abc_iq.wav`. The time is the recording PC's UTC clock when the
 * first samples were written. Names given with --fn carry none of this.
 */
export interface KiwiFileName {
  captureTime: string;
  centerFrequencyHz: number;
  station?: string;
  mode: string;
}

const KIWI_PATTERN =
  /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z_(\d+)(?:_(.+))?_([a-z]+)\.wav$/i;

export function parseKiwiFileName(fileName: string): KiwiFileName | undefined {
  const m = KIWI_PATTERN.exec(baseName(fileName));
  const captureTime = m && utcFromFields(m.slice(1, 7));
  if (!m || !captureTime) return undefined;
  const parsed: KiwiFileName = { captureTime, centerFrequencyHz: Number(m[7]), mode: m[9] };
  if (m[8]) parsed.station = m[8];
  return parsed;
}

/**
 * SDR# (`SDRSharp_20231104_120000Z_7100000Hz_IQ.wav`) and HDSDR
 * (`HDSDR_20231104_120000Z_7100kHz_RF.wav`) put the date, the UTC time marked Z and the centre
 * frequency with its unit in their default names. Used when a WAV has no auxi chunk.
 */
export interface SdrFileName {
  captureTime: string;
  centerFrequencyHz: number;
}

const SDR_PATTERN = /(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})Z_(\d+(?:\.\d+)?)(Hz|kHz|MHz)/i;
const UNIT_HZ: Record<string, number> = { hz: 1, khz: 1e3, mhz: 1e6 };

export function parseSdrFileName(fileName: string): SdrFileName | undefined {
  const m = SDR_PATTERN.exec(baseName(fileName));
  const captureTime = m && utcFromFields(m.slice(1, 7));
  if (!m || !captureTime) return undefined;
  return { captureTime, centerFrequencyHz: Math.round(Number(m[7]) * UNIT_HZ[m[8].toLowerCase()]) };
}
