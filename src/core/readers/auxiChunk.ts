/**
 * The `auxi` chunk that SpectraVue introduced and SDR#, HDSDR, SDRuno and others write into IQ
 * WAVs (layout from the SpectraVue user guide): two Windows SYSTEMTIMEs (start, stop; 8 uint16:
 * year, month, day of week, day, hour, minute, second, millisecond), then uint32 centre
 * frequency (Hz), A/D frequency, IF frequency, bandwidth, IQ offset and unused words. SDRuno
 * makes it 164 bytes; SDR Console writes a chunk of the same name holding XML, which we
 * recognise by its dates not being dates, and ignore.
 */
export interface AuxiInfo {
  /**
   * ISO 8601, taken as UTC: ka9q-radio and the SDRplay RSP recorders write UTC, and the chunk has
   * no time zone field, so a program that writes local time cannot be told apart.
   */
  startTime: string;
  stopTime?: string;
  /** Absent when the chunk says 0. */
  centerFrequencyHz?: number;
}

const SYSTEMTIME_BYTES = 16;
const CENTER_FREQUENCY_AT = 2 * SYSTEMTIME_BYTES;

function systemTime(view: DataView, at: number): string | undefined {
  const [year, month, , day, hour, minute, second, ms] = Array.from({ length: 8 }, (_, i) =>
    view.getUint16(at + 2 * i, true),
  );
  const valid =
    year >= 1980 &&
    year <= 2200 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hour < 24 &&
    minute < 60 &&
    second < 61 &&
    ms < 1000;
  if (!valid) return undefined;
  const t = new Date(Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms));
  // Date.UTC rolls 31 February over into March: such a date is not a date.
  return t.getUTCMonth() === month - 1 && t.getUTCDate() === day ? t.toISOString() : undefined;
}

/** The auxi chunk's fields, or undefined when it is not the SpectraVue layout. */
export function parseAuxi(body: Uint8Array): AuxiInfo | undefined {
  if (body.length < CENTER_FREQUENCY_AT + 4) return undefined;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const startTime = systemTime(view, 0);
  if (!startTime) return undefined;
  const info: AuxiInfo = { startTime };
  const stopTime = systemTime(view, SYSTEMTIME_BYTES);
  if (stopTime) info.stopTime = stopTime;
  const centerHz = view.getUint32(CENTER_FREQUENCY_AT, true);
  if (centerHz > 0) info.centerFrequencyHz = centerHz;
  return info;
}
