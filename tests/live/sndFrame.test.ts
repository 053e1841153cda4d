import { describe, expect, it } from 'vitest';
import {
  encodeSndFrame,
  kiwiFrameTag,
  parseSndFrame,
  SND_FLAG_ADC_OVFL,
  SND_FLAG_COMPRESSED,
  SND_FLAG_LITTLE_ENDIAN,
  SND_FLAG_MODE_IQ,
  SND_IQ_HEADER_BYTES,
} from '../../src/core/kiwi/sndFrame';
import { isHeimdallError } from '../../src/core/errors';

/** A frame written byte by byte from the documented layout, independent of encodeSndFrame. */
function handMadeFrame(): Uint8Array {
  return Uint8Array.from([
    0x53,
    0x4e,
    0x44, // "SND"
    0x08, // flags: IQ
    0x2a,
    0x01,
    0x00,
    0x00, // seq 298, little-endian
    0x01,
    0xf4, // smeter 500, big-endian -> -77 dBm
    0x03,
    0x00, // last_gps_solution 3, dummy
    0x40,
    0xe2,
    0x01,
    0x00, // gpssec 123456, little-endian
    0x15,
    0xcd,
    0x5b,
    0x07, // gpsnsec 123456789, little-endian
    0x40,
    0x00,
    0xc0,
    0x00, // I = 0x4000 = 0.5, Q = 0xc000 = -0.5 (big-endian int16)
    0x7f,
    0xff,
    0x80,
    0x00, // I = 32767, Q = -32768
  ]);
}

function expectError(fn: () => unknown, name: string, text: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(isHeimdallError(err)).toBe(true);
    expect((err as Error).name).toBe(name);
    expect((err as Error).message).toMatch(text);
    return;
  }
  throw new Error('expected a throw');
}

describe('KiwiSDR SND IQ frames', () => {
  it('parses a hand-made frame: LE sequence, BE S-meter, LE GPS header, BE samples', () => {
    const f = parseSndFrame(handMadeFrame(), 'iq');
    expect(f.flags).toBe(SND_FLAG_MODE_IQ);
    expect(f.sequence).toBe(298);
    expect(f.rssiDbm).toBeCloseTo(-77, 10);
    expect(f.gps).toEqual({ lastSolution: 3, gpsSec: 123456, gpsNsec: 123456789 });
    expect(Array.from(f.iq)).toEqual([0.5, -0.5, 32767 / 32768, -1]);
    expect(kiwiFrameTag(handMadeFrame())).toBe('SND');
  });

  it('encodes exactly the hand-made bytes', () => {
    const bytes = encodeSndFrame({
      sequence: 298,
      rssiDbm: -77,
      gps: { lastSolution: 3, gpsSec: 123456, gpsNsec: 123456789 },
      iq: Float32Array.from([0.5, -0.5, 32767 / 32768, -1]),
    });
    expect(Array.from(bytes)).toEqual(Array.from(handMadeFrame()));
  });

  it('round-trips flags, sequence, GPS and samples in both byte orders', () => {
    const iq = new Float32Array(1024);
    for (let i = 0; i < iq.length; i++) iq[i] = Math.round(Math.sin(i * 0.37) * 30000) / 32768;
    for (const littleEndian of [false, true]) {
      const input = {
        flags: SND_FLAG_MODE_IQ | SND_FLAG_ADC_OVFL,
        sequence: 0xfffffffe,
        rssiDbm: -101.3,
        gps: { lastSolution: 255, gpsSec: 604799, gpsNsec: 999999999 },
        iq,
        littleEndian,
      };
      const bytes = encodeSndFrame(input);
      expect(bytes.length).toBe(SND_IQ_HEADER_BYTES + 2 * iq.length);
      const f = parseSndFrame(bytes, 'iq');
      expect(f.flags & SND_FLAG_LITTLE_ENDIAN).toBe(littleEndian ? SND_FLAG_LITTLE_ENDIAN : 0);
      expect(f.flags & SND_FLAG_ADC_OVFL).toBe(SND_FLAG_ADC_OVFL);
      expect(f.sequence).toBe(0xfffffffe);
      expect(f.rssiDbm).toBeCloseTo(-101.3, 6);
      expect(f.gps).toEqual(input.gps);
      expect(f.iq).toEqual(iq);
    }
  });

  it('converts the S-meter as 0.1 * smeter - 127 dBm, over its clamped range', () => {
    for (const [smeter, dbm] of [
      [0, -127],
      [1270, 0],
      [1304, 3.4],
      [270, -100],
    ]) {
      const b = handMadeFrame();
      b[8] = smeter >> 8;
      b[9] = smeter & 0xff;
      expect(parseSndFrame(b, 'iq').rssiDbm).toBeCloseTo(dbm, 10);
    }
  });

  it('rejects short, garbled and compressed frames with clear errors', () => {
    const good = handMadeFrame();
    expectError(() => parseSndFrame(good.subarray(0, 19), 'iq'), 'TruncatedFileError', /19 bytes/);
    expectError(() => parseSndFrame(new Uint8Array(0), 'iq'), 'TruncatedFileError', /0 bytes/);
    const wrongTag = good.slice();
    wrongTag[0] = 0x4d; // 'M'
    expectError(() => parseSndFrame(wrongTag, 'iq'), 'CorruptFileError', /"MND"/);
    expectError(() => parseSndFrame(good.subarray(0, 22), 'iq'), 'CorruptFileError', /I\/Q pairs/);
    expectError(() => parseSndFrame(good.subarray(0, 20), 'iq'), 'CorruptFileError', /I\/Q pairs/);
    const badNs = good.slice();
    badNs.set([0xff, 0xff, 0xff, 0xff], 16);
    expectError(() => parseSndFrame(badNs, 'iq'), 'CorruptFileError', /nanoseconds/);
    const compressed = good.slice();
    compressed[3] |= SND_FLAG_COMPRESSED;
    expectError(
      () => parseSndFrame(compressed, 'iq', 'rx-a'),
      'UnsupportedFormatError',
      /^rx-a: .*compress/,
    );
  });

  it('parses a frame that is a view into a larger buffer', () => {
    const big = new Uint8Array(100);
    big.set(handMadeFrame(), 7);
    const f = parseSndFrame(big.subarray(7, 7 + handMadeFrame().length), 'iq');
    expect(f.sequence).toBe(298);
    expect(f.iq[0]).toBe(0.5);
  });

  it('clips samples beyond full scale when encoding', () => {
    const bytes = encodeSndFrame({
      sequence: 1,
      rssiDbm: -90,
      gps: { lastSolution: 0, gpsSec: 0, gpsNsec: 0 },
      iq: Float32Array.from([2, -2]),
    });
    expect(Array.from(parseSndFrame(bytes, 'iq').iq)).toEqual([32767 / 32768, -1]);
  });
});
