import { describe, expect, it } from 'vitest';
import { KiwiIqHandshake, type KiwiIqTuning } from '../../src/core/kiwi/handshake';
import { parseKiwiMessage } from '../../src/core/kiwi/kiwiMessage';

const tuning: KiwiIqTuning = {
  centerFrequencyHz: 7_074_000,
  lowCutHz: -5000,
  highCutHz: 5000,
  manualGainDb: 50,
  password: 'p w%',
  identUser: 'heimdall relay',
};

const msg = (t: string) => parseKiwiMessage(t);

describe('KiwiSDR IQ handshake state machine', () => {
  it('authenticates, answers audio_rate, then tunes once on sample_rate', () => {
    const h = new KiwiIqHandshake(tuning);
    expect(h.open()).toEqual(['SET auth t=kiwi p=p%20w%25']);
    expect(h.onMessage(msg('MSG badp=0'))).toEqual({ send: [] });
    expect(h.onMessage(msg('MSG center_freq=15000000 bandwidth=30000000'))).toEqual({ send: [] });
    expect(h.onMessage(msg('MSG audio_init=0 audio_rate=12000')).send).toEqual([
      'SET AR OK in=12000 out=44100',
    ]);
    expect(h.isConfigured).toBe(false);
    expect(h.onMessage(msg('MSG sample_rate=12001.135000')).send).toEqual([
      'SET squelch=0 max=0',
      'SET ident_user=heimdall%20relay',
      'SET mod=iq low_cut=-5000 high_cut=5000 freq=7074.000',
      'SET agc=0 hang=0 thresh=-100 slope=6 decay=1000 manGain=50',
      'SET compression=0',
      'SET keepalive',
    ]);
    expect(h.sampleRateHz).toBe(12001.135);
    expect(h.onMessage(msg('MSG sample_rate=12001.2')).send).toEqual([]);
    expect(h.sampleRateHz).toBe(12001.2);
  });

  it('sends an empty password when none is set and keeps 1 Hz of the frequency', () => {
    const h = new KiwiIqHandshake({
      ...tuning,
      password: undefined,
      centerFrequencyHz: 10_000_001,
    });
    expect(h.open()).toEqual(['SET auth t=kiwi p=']);
    expect(h.onMessage(msg('MSG sample_rate=12000')).send).toContain(
      'SET mod=iq low_cut=-5000 high_cut=5000 freq=10000.001',
    );
  });

  it('classifies refusals: wrong password is fatal, busy/down/other badp are retryable', () => {
    const h = () => new KiwiIqHandshake(tuning);
    expect(h().onMessage(msg('MSG badp=1')).outcome).toEqual({
      kind: 'fatal',
      reason: expect.stringMatching(/password/),
    });
    expect(h().onMessage(msg('MSG too_busy=4')).outcome).toEqual({
      kind: 'retry',
      reason: 'all 4 receiver channels are busy',
    });
    expect(h().onMessage(msg('MSG down')).outcome?.kind).toBe('retry');
    expect(h().onMessage(msg('MSG badp=2')).outcome?.kind).toBe('retry');
    expect(h().onMessage(msg('MSG redirect=http://x')).outcome?.kind).toBe('retry');
    expect(h().onMessage(msg('MSG sample_rate=abc')).outcome?.kind).toBe('retry');
  });

  it('rejects impossible tuning', () => {
    expect(() => new KiwiIqHandshake({ ...tuning, centerFrequencyHz: 0 })).toThrow(/positive/);
    expect(() => new KiwiIqHandshake({ ...tuning, centerFrequencyHz: 1e9 })).toThrow(/above/);
    expect(() => new KiwiIqHandshake({ ...tuning, lowCutHz: 100, highCutHz: -100 })).toThrow(
      /low < high/,
    );
    expect(() => new KiwiIqHandshake({ ...tuning, manualGainDb: NaN })).toThrow(/gain/);
  });
});
