import { describe, expect, it } from 'vitest';
import { decodeKiwiValue, parseKiwiMessage } from '../../src/core/kiwi/sndFrame';

describe('KiwiSDR MSG lines', () => {
  it('splits key=value pairs and bare flags', () => {
    const m = parseKiwiMessage('MSG audio_init=0 audio_rate=12000 sample_rate=12001.135 down');
    expect([...m.params]).toEqual([
      ['audio_init', '0'],
      ['audio_rate', '12000'],
      ['sample_rate', '12001.135'],
      ['down', null],
    ]);
  });

  it('keeps everything after the first = and tolerates a NUL separator', () => {
    const m = parseKiwiMessage('MSG\0load_cfg=%7B%22a%22%3D1%7D');
    expect(m.params.get('load_cfg')).toBe('%7B%22a%22%3D1%7D');
    expect(decodeKiwiValue(m.params.get('load_cfg') ?? '')).toBe('{"a"=1}');
    expect(decodeKiwiValue('100%')).toBe('100%');
  });

  it('cannot be steered into prototype keys', () => {
    const m = parseKiwiMessage('MSG __proto__=x badp=0');
    expect(m.params.get('badp')).toBe('0');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('rejects non-MSG text and empty keys', () => {
    expect(() => parseKiwiMessage('SND abc')).toThrow(/does not start with "MSG"/);
    expect(() => parseKiwiMessage('MSG =3')).toThrow(/empty key/);
  });
});
