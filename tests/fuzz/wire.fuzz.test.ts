/**
 * Property-based fuzzing of what arrives over the network: the live relay's binary frames and
 * a KiwiSDR's SND frames and MSG text. Any bytes give a frame that satisfies the format's
 * invariants, or a HeimdallError; valid frames survive an encode/decode round trip.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHeimdallError } from '../../src/core/errors';
import { parseKiwiMessage, parseSndFrame } from '../../src/core/kiwi/sndFrame';
import {
  decodeFrame,
  encodeFrame,
  FRAME_HEADER_BYTES,
  type WireFrame,
} from '../../src/core/live/wireFormat';
import {
  MAX_FLOAT_SAMPLE_MAGNITUDE,
  MAX_SAMPLE_RATE_HZ,
  MIN_SAMPLE_RATE_HZ,
} from '../../src/core/readers/limits';

const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200) * 5;

function expectNamed(err: unknown): void {
  const e = err as Error;
  if (!isHeimdallError(e)) throw new Error(`not a HeimdallError: ${e?.name}: ${e?.message}`);
}

const frameArb: fc.Arbitrary<WireFrame> = fc.record({
  receiverIndex: fc.integer({ min: 0, max: 0xffff }),
  sequence: fc.nat({ max: 0xffffffff }),
  connectionIndex: fc.nat({ max: 0xffffffff }),
  captureTimeMs: fc.double({ min: 0, max: 4e12, noNaN: true }),
  sampleRateHz: fc.double({ min: MIN_SAMPLE_RATE_HZ, max: MAX_SAMPLE_RATE_HZ, noNaN: true }),
  centerFrequencyHz: fc.double({ min: 0, max: 6e9, noNaN: true }),
  timeExact: fc.boolean(),
  adcOverload: fc.boolean(),
  iq: fc
    .array(fc.float({ min: -1, max: 1, noNaN: true }), { maxLength: 64 })
    .map((v) => Float32Array.from(v.length % 2 ? v.slice(1) : v)),
});

describe('fuzz: live relay frames', () => {
  it('valid frames round-trip', () => {
    fc.assert(
      fc.property(frameArb, (f) => {
        const back = decodeFrame(encodeFrame(f));
        expect(back.sequence).toBe(f.sequence);
        expect(back.sampleRateHz).toBe(f.sampleRateHz);
        expect(Array.from(back.iq)).toEqual(Array.from(f.iq));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('any bytes, or a valid frame with bytes overwritten: a sane frame or a named error', () => {
    const overwritten = fc
      .tuple(
        frameArb.map(encodeFrame),
        fc.array(
          fc.tuple(fc.nat({ max: FRAME_HEADER_BYTES + 40 }), fc.integer({ min: 0, max: 255 })),
          {
            maxLength: 6,
          },
        ),
      )
      .map(([b, writes]) => {
        for (const [at, v] of writes) if (at < b.length) b[at] = v;
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(overwritten, fc.uint8Array({ maxLength: 200 })), (b) => {
        try {
          const f = decodeFrame(b);
          expect(f.iq.length).toBe(((b.length - FRAME_HEADER_BYTES) / 8) * 2);
          expect(f.sampleRateHz).toBeGreaterThanOrEqual(MIN_SAMPLE_RATE_HZ);
          expect(f.sampleRateHz).toBeLessThanOrEqual(MAX_SAMPLE_RATE_HZ);
          expect(Number.isFinite(f.captureTimeMs)).toBe(true);
          expect(Number.isFinite(f.centerFrequencyHz)).toBe(true);
          for (const v of f.iq) expect(Math.abs(v)).toBeLessThanOrEqual(MAX_FLOAT_SAMPLE_MAGNITUDE);
        } catch (err) {
          expectNamed(err);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('fuzz: KiwiSDR frames and messages', () => {
  it('SND frames: int16 samples within full scale, or a named error', () => {
    const snd = fc
      .tuple(fc.uint8Array({ minLength: 17, maxLength: 120 }))
      .map(([rest]) => Uint8Array.from([0x53, 0x4e, 0x44, ...rest]));
    fc.assert(
      fc.property(fc.oneof(snd, fc.uint8Array({ maxLength: 64 })), (b) => {
        try {
          const f = parseSndFrame(b, 'iq');
          for (const v of f.iq) expect(Math.abs(v)).toBeLessThanOrEqual(1);
        } catch (err) {
          expectNamed(err);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('MSG text: parameters, or a named error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string().map((s) => `MSG ${s}`),
          fc.string(),
        ),
        (text) => {
          try {
            parseKiwiMessage(text);
          } catch (err) {
            expectNamed(err);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});
