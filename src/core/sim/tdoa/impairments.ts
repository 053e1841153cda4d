/**
 * What goes wrong in real TDoA recordings, and how often the simulator makes it go wrong. The
 * defaults are the held-out evaluation's world; every rate can be set to 0 for a clean scene.
 * Sources: shared/TDOA_NOTES.md (the hcab14/TDoA code and the real 2020 recordings).
 */
export interface Range {
  lo: number;
  hi: number;
}

export interface TdoaImpairments {
  /** Scenes with multipath: each station then gets one echo with probability echoStationFraction. */
  multipathSceneFraction: number;
  echoStationFraction: number;
  /** Echo amplitude relative to the direct wave, and its extra delay, microseconds. */
  echoRelativeAmplitude: Range;
  echoDelayUs: Range;
  /** A Kiwi's true sample rate differs from its header's by up to this, ppm (uniform, either sign). */
  sampleRateOffsetPpm: number;
  /** Receiver frequency error, Hz (uniform, either sign), and the share of receivers off by up to largeFrequencyOffsetHz. */
  frequencyOffsetHz: number;
  largeFrequencyOffsetFraction: number;
  largeFrequencyOffsetHz: number;
  /** Standard deviation of a GPS fix's time error, ns (per station, uniform in the range). */
  stampJitterNs: Range;
  /** The receiver's fractional rate error between fixes (standard deviation). */
  rateErrorBetweenFixes: number;
  fixIntervalS: Range;
  /** Share of stations whose first fix comes only this long after the recording started. */
  lateFirstFixFraction: number;
  lateFirstFixS: Range;
  /** Share of stations with no GPS fix at all (must be excluded). */
  noFixFraction: number;
  /** Share of stations with a gap of gapBlocks blocks (a Kiwi WAV must then be excluded; SigMF starts a new capture). */
  gapFraction: number;
  gapBlocks: Range;
  /** Share of Kiwi recordings whose first block is all zero, and (of the rest) minutes stale. */
  zeroFirstBlockFraction: number;
  staleFirstBlockFraction: number;
  /** Recordings of one event start up to this far apart (the operator's PC starts them in turn), s. */
  startSpreadS: number;
  /**
   * Each receiver's passband (its filters, its antenna's response) differs from flat by a smooth
   * zero-phase ripple whose peak is drawn up to this, dB. 0: every receiver flat, as real ones
   * are not; the default, so that the figures stay comparable with earlier runs.
   */
  passbandRippleDb: number;
  /**
   * Each echo's phase turns at a rate drawn within +-this, Hz: a sky wave whose path lengthens or
   * shortens as the ionosphere moves, fading in and out against the direct wave (a few hundredths
   * of a hertz on LF and MF, up to about a hertz on HF). So the echo's ripple across the band, and
   * the bias it gives the station, change within a recording. 0: echoes stand still; the default,
   * so that the figures stay comparable with earlier runs.
   */
  echoFadeHz: number;
}

export const DEFAULT_IMPAIRMENTS: TdoaImpairments = {
  multipathSceneFraction: 0.3,
  echoStationFraction: 0.7,
  echoRelativeAmplitude: { lo: 0.1, hi: 0.5 },
  echoDelayUs: { lo: 10, hi: 200 },
  sampleRateOffsetPpm: 50,
  frequencyOffsetHz: 1,
  largeFrequencyOffsetFraction: 0.1,
  largeFrequencyOffsetHz: 10,
  stampJitterNs: { lo: 10, hi: 50 },
  rateErrorBetweenFixes: 5e-8,
  fixIntervalS: { lo: 2, hi: 5 },
  lateFirstFixFraction: 0.15,
  lateFirstFixS: { lo: 1, hi: 6 },
  noFixFraction: 0.02,
  gapFraction: 0.04,
  gapBlocks: { lo: 1, hi: 20 },
  zeroFirstBlockFraction: 0.8,
  staleFirstBlockFraction: 0.5,
  startSpreadS: 2,
  passbandRippleDb: 0,
  echoFadeHz: 0,
};

/** No impairment at all except the unavoidable (noise): for tests of the ideal case. */
export const NO_IMPAIRMENTS: TdoaImpairments = {
  ...DEFAULT_IMPAIRMENTS,
  multipathSceneFraction: 0,
  sampleRateOffsetPpm: 0,
  frequencyOffsetHz: 0,
  largeFrequencyOffsetFraction: 0,
  stampJitterNs: { lo: 0, hi: 0 },
  rateErrorBetweenFixes: 0,
  lateFirstFixFraction: 0,
  noFixFraction: 0,
  gapFraction: 0,
  zeroFirstBlockFraction: 0,
  staleFirstBlockFraction: 0,
  startSpreadS: 0,
};
