import { HeimdallError } from '../errors';

/**
 * KiwiSDR `MSG` lines: `MSG key=value key2=value2 flag ...`.
 *
 * The server sends them as binary WebSocket frames: the tag "MSG", one separator byte (a space),
 * then space-separated pairs (Beagle_SDR_GPS rx/rx_sound.cpp `send_msg(conn, ..., "MSG
 * audio_init=%d audio_rate=%d")`; kiwiclient kiwi/client.py `_process_msg` skips the first body
 * byte and splits on ' ', then on the first '='; a word without '=' is a bare flag).
 * Values the server percent-encodes (e.g. load_cfg JSON) are left raw: see decodeKiwiValue.
 * Keys the SND stream relies on: badp (0 = accepted, 1 = bad password), too_busy, down,
 * redirect, audio_rate (integer nominal rate, answered with `SET AR OK`), sample_rate (the exact
 * rate, a float such as 12001.135), center_freq, bandwidth, version_maj, version_min.
 */
export interface KiwiMessage {
  /** Key -> raw value; null for a bare flag. A Map, so hostile keys cannot touch prototypes. */
  params: ReadonlyMap<string, string | null>;
}

const MSG_TAG = 'MSG';

export function parseKiwiMessage(text: string, context = 'KiwiSDR MSG'): KiwiMessage {
  if (!text.startsWith(MSG_TAG)) {
    throw new HeimdallError(
      'CorruptFileError',
      `message ${JSON.stringify(text.slice(0, 16))} does not start with "MSG"`,
      context,
    );
  }
  // The separator is normally a space; tolerate NULs some re-implementations send.
  const body = text.slice(MSG_TAG.length).replace(/^[\s\0]+/, '');
  const params = new Map<string, string | null>();
  for (const word of body.split(' ')) {
    if (word === '') continue;
    const eq = word.indexOf('=');
    if (eq === 0) {
      throw new HeimdallError('CorruptFileError', `empty key in ${JSON.stringify(word)}`, context);
    }
    if (eq < 0) params.set(word, null);
    else params.set(word.slice(0, eq), word.slice(eq + 1));
  }
  return { params };
}

/** Percent-decode a MSG value; returns it unchanged when it is not valid percent-encoding. */
export function decodeKiwiValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
