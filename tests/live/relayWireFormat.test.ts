import { describe, expect, it } from 'vitest';
import { isHeimdallError } from '../../src/core/errors';
import { parseLiveMessage } from '../../src/core/live/liveMessages';
import {
  decodeFrame,
  encodeFrame,
  FRAME_HEADER_BYTES,
  type WireFrame,
} from '../../src/core/live/wireFormat';

const frame = (over: Partial<WireFrame> = {}): WireFrame => ({
  receiverIndex: 2,
  sequence: 4_000_000_000,
  connectionIndex: 7,
  captureTimeMs: 1_790_000_000_123.25,
  sampleRateHz: 12_001.135,
  centerFrequencyHz: 145_500_000,
  timeExact: true,
  adcOverload: false,
  rssiDbm: -81.5,
  iq: Float32Array.from([0.5, -0.25, 1e-7, -1, 0.125, 3]),
  ...over,
});

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('relay wire format: binary frames', () => {
  it('round-trips every field bit for bit', () => {
    const f = frame();
    const bytes = encodeFrame(f);
    expect(bytes.byteLength).toBe(FRAME_HEADER_BYTES + 6 * 4);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('HQF1');
    const back = decodeFrame(bytes);
    expect({ ...back, iq: Array.from(back.iq) }).toEqual({ ...f, iq: Array.from(f.iq) });
    // Little-endian on the wire whatever the platform: the header fields sit where documented.
    const view = new DataView(bytes.buffer);
    expect(view.getUint16(4, true)).toBe(2);
    expect(view.getUint32(8, true)).toBe(4_000_000_000);
    expect(view.getFloat64(16, true)).toBe(1_790_000_000_123.25);
    expect(view.getUint32(44, true)).toBe(3);
    expect(view.getFloat32(FRAME_HEADER_BYTES + 4, true)).toBe(-0.25);
  });

  it('carries the flags and an absent RSSI', () => {
    const back = decodeFrame(
      encodeFrame(frame({ timeExact: false, adcOverload: true, rssiDbm: undefined })),
    );
    expect(back.timeExact).toBe(false);
    expect(back.adcOverload).toBe(true);
    expect('rssiDbm' in back).toBe(false);
  });

  it('views the samples in place when aligned and copies them when not', () => {
    const bytes = encodeFrame(frame());
    expect(decodeFrame(bytes).iq.buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    const unaligned = decodeFrame(shifted.subarray(1));
    expect(Array.from(unaligned.iq)).toEqual(Array.from(frame().iq));
  });

  it('refuses corrupt frames with CorruptFileError', () => {
    const good = encodeFrame(frame());
    const badMagic = good.slice();
    badMagic[0] = 0x58;
    for (const [bytes, why] of [
      [good.subarray(0, 40), /shorter than the header/],
      [badMagic, /does not start with HQF1/],
      [good.subarray(0, good.byteLength - 4), /announces 3 samples but 20 bytes follow/],
    ] as const) {
      const err = caught(() => decodeFrame(bytes));
      expect(isHeimdallError(err, 'CorruptFileError')).toBe(true);
      expect(err.message).toMatch(why);
    }
  });

  it('refuses to encode what the header cannot hold', () => {
    expect(() => encodeFrame(frame({ receiverIndex: 70_000 }))).toThrow(/receiver index/);
    expect(() => encodeFrame(frame({ sequence: -1 }))).toThrow(/sequence/);
    expect(() => encodeFrame(frame({ iq: new Float32Array(3) }))).toThrow(/even length/);
  });
});

describe('relay wire format: JSON messages', () => {
  it('parses each message kind', () => {
    const hello = parseLiveMessage(
      JSON.stringify({
        type: 'hello',
        protocol: 1,
        serverTimeMs: 1,
        constellationId: 'c',
        receivers: [
          {
            index: 0,
            receiverId: 'a',
            name: 'A',
            lat: 45,
            lon: 7,
            source: 'kiwisdr',
            label: 'h:1',
            state: 'connecting',
          },
        ],
      }),
    );
    expect(hello.type).toBe('hello');
    const state = parseLiveMessage(
      '{"type":"state","receiverIndex":0,"receiverId":"a","state":"stalled","atMs":5}',
    );
    expect(state).toEqual({
      type: 'state',
      receiverIndex: 0,
      receiverId: 'a',
      state: 'stalled',
      atMs: 5,
    });
    expect(
      parseLiveMessage('{"type":"truth","timeMs":1,"lat":45,"lon":8,"keyed":false,"kind":"cw"}')
        .type,
    ).toBe('truth');
  });

  it('names the problem in a message from another protocol version', () => {
    expect(() => parseLiveMessage('not json')).toThrow(/live relay: a text message is not JSON/);
    expect(() => parseLiveMessage('{"type":"hello","protocol":2}')).toThrow(
      /unexpected message \(protocol: /,
    );
    expect(() =>
      parseLiveMessage(
        '{"type":"state","receiverIndex":0,"receiverId":"a","state":"asleep","atMs":5}',
      ),
    ).toThrow(/state/);
    expect(() => parseLiveMessage('{"type":"nope"}')).toThrow(/unexpected message/);
  });
});
