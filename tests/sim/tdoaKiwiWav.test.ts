import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gpsTimeOfWeekToUtcMs, utcMsToGpsTimeOfWeek } from '../../src/core/kiwi/gpsTime';
import { openRecording } from '../../src/core/readers/open';
import { parseKiwiFileName } from '../../src/core/readers/fileNameMetadata';
import {
  kiwiWavBytes,
  kiwiWavFileName,
  KIWI_BLOCK_PAIRS,
  toInt16,
} from '../../src/core/sim/kiwiWavWriter';
import { source } from '../readers/builders';

const REAL = new URL('../../../shared/data/kiwi-dcf77-2020/', import.meta.url);
const realFiles = existsSync(REAL) ? readdirSync(REAL).filter((f) => f.endsWith('.wav')) : [];

/** An independent walk over the chunks, as kiwi/wavreader.py does it. */
function chunks(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { id: string; offset: number; size: number }[] = [];
  for (let at = 12; at < bytes.length;) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    out.push({ id, offset: at, size });
    at += 8 + size;
  }
  return { view, out };
}

function blocks(count: number, firstStamp: { gpsSec: number; gpsNsec: number }) {
  return Array.from({ length: count }, (_, b) => {
    const iq = new Int16Array(2 * KIWI_BLOCK_PAIRS);
    for (let i = 0; i < iq.length; i++) iq[i] = ((b * 7919 + i * 104729) % 65536) - 32768;
    const ns = firstStamp.gpsNsec + Math.round((b * KIWI_BLOCK_PAIRS * 1e9) / 12001.2);
    return {
      gps: {
        lastSolution: b % 3,
        gpsSec: firstStamp.gpsSec + Math.floor(ns / 1e9),
        gpsNsec: ns % 1e9,
      },
      iq,
    };
  });
}

describe("the KiwiSDR IQ WAV writer (kiwirecorder's --kiwi-wav layout)", () => {
  it('writes the 36-byte header, then a 10-byte kiwi and a 2048-byte data chunk per block', () => {
    const bytes = kiwiWavBytes(12001.2, blocks(5, { gpsSec: 370358, gpsNsec: 769799718 }));
    expect(bytes.length).toBe(36 + 5 * 2074);
    const { view, out } = chunks(bytes);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('RIFF');
    expect(view.getUint32(4, true)).toBe(bytes.length - 8);
    expect(String.fromCharCode(...bytes.subarray(8, 12))).toBe('WAVE');
    expect(out[0]).toEqual({ id: 'fmt ', offset: 12, size: 16 });
    expect([view.getUint16(20, true), view.getUint16(22, true)]).toEqual([1, 2]);
    expect(view.getUint32(24, true)).toBe(12001); // rounded, as kiwirecorder writes it
    expect(view.getUint32(28, true)).toBe(12001 * 4);
    expect([view.getUint16(32, true), view.getUint16(34, true)]).toEqual([4, 16]);
    expect(out.slice(1).map((c) => `${c.id}:${c.size}`)).toEqual(
      Array.from({ length: 5 }, () => ['kiwi:10', 'data:2048']).flat(),
    );
    // Block 1's stamp, read back field by field (u8, u8 0, u32, u32 little-endian).
    const k = out[3].offset + 8;
    expect([
      view.getUint8(k),
      view.getUint8(k + 1),
      view.getUint32(k + 2, true),
      view.getUint32(k + 6, true),
    ]).toEqual([1, 0, 370358, 769799718 + Math.round((512 * 1e9) / 12001.2)]);
  });

  it.skipIf(realFiles.length === 0)(
    'matches a real kiwirecorder file byte for byte in its header and chunk framing (skipped without ../shared/data)',
    () => {
      const real = new Uint8Array(readFileSync(new URL(realFiles[0], REAL)));
      const realBlocks = (real.length - 36) / 2074;
      const ours = kiwiWavBytes(12001, blocks(realBlocks, { gpsSec: 1, gpsNsec: 0 }));
      expect(ours.length).toBe(real.length);
      // Everything up to the first stamp is identical: RIFF size, fmt chunk, kiwi chunk header.
      expect(Array.from(ours.subarray(0, 44))).toEqual(Array.from(real.subarray(0, 44)));
      const a = chunks(real).out.map((c) => [c.id, c.offset, c.size]);
      const b = chunks(ours).out.map((c) => [c.id, c.offset, c.size]);
      expect(b).toEqual(a);
    },
  );

  it('opens with the project reader as kiwi-wav, with its station, frequency, GPS time and samples', async () => {
    const utcMs = Date.UTC(2026, 2, 2, 10, 30, 5, 250);
    const tow = utcMsToGpsTimeOfWeek(utcMs);
    const written = blocks(3, tow);
    const name = kiwiWavFileName(utcMs + 800, 7_040_000, 'dl0ABC');
    expect(name).toBe('20260302T103006Z_7040000_dl0ABC_iq.wav');
    expect(parseKiwiFileName(name)).toMatchObject({
      station: 'dl0ABC',
      centerFrequencyHz: 7040000,
    });
    const rec = await openRecording(source(name, kiwiWavBytes(12001, written)));
    expect(rec.info).toMatchObject({
      format: 'kiwi-wav',
      datatype: 'ci16_le',
      sampleRateHz: 12001,
      totalSamples: 3 * KIWI_BLOCK_PAIRS,
      centerFrequencyHz: 7040000,
      receiverHint: 'dl0ABC',
      captureTime: new Date(gpsTimeOfWeekToUtcMs(tow.gpsSec, tow.gpsNsec, utcMs)).toISOString(),
    });
    expect(rec.info.extra.captureTimeSource).toBe('gps');
    const back = await rec.readSamples(KIWI_BLOCK_PAIRS - 2, 4);
    const expected = [
      ...written[0].iq.subarray(2 * KIWI_BLOCK_PAIRS - 4),
      ...written[1].iq.subarray(0, 4),
    ].map((v) => v / 32768);
    expect(Array.from(back)).toEqual(expected);
  });

  it('quantises like the Kiwi (round, clip at full scale) and counts the clipped values', () => {
    const { values, clipped } = toInt16([0.5, -1, 1, -1.2, 1e-5, 0.99999]);
    expect(Array.from(values)).toEqual([16384, -32768, 32767, -32768, 0, 32767]);
    expect(clipped).toBe(3); // 1, -1.2 and 0.99999 (which rounds to 32768)
  });

  it('refuses stamps a Kiwi cannot send and names that cannot be files', () => {
    const bad = blocks(1, { gpsSec: 0, gpsNsec: 0 });
    bad[0].gps.gpsNsec = 1e9;
    expect(() => kiwiWavBytes(12001, bad)).toThrow(/block 0: GPS stamp out of range/);
    expect(() => kiwiWavFileName(0, 1e6, 'a/b')).toThrow(/cannot go in a file name/);
  });
});
