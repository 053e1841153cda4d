/**
 * The frequency shift a receiver's own sample rate puts inside each block.
 *
 * A receiver whose ADC runs at fs (1 + eps) against the block grid's rate fs (a Kiwi tens of ppm
 * off its header, or a 12001 Hz Kiwi beside a 12000 Hz SigMF recorder) holds n samples that span
 * n / (fs (1 + eps)) seconds; the FFT reads them at fs, so every baseband frequency f shows at
 * f (1 - eps): a signal at 3.8 kHz and 48 ppm sits 0.18 Hz low in that station's bins. The blocks
 * themselves are placed on true time (blockSpectra.ts), so the signal's phase from block to block
 * does not see eps: frequencyDrift.ts, which reads that phase, measures the receivers' oscillator
 * errors alone, and removing only those leaves each station's -eps f in its block spectra
 * (the spectral-shape estimate of frequencyOffset.ts, read from the bins, holds both).
 *
 * That residual is the size frequencyDrift.ts was written to remove (a tenth of a 2.9 Hz bin),
 * and it spoils the lags. In tests/tdoa/rateShift.test.ts (45 Bd FSK at 4.3 kHz, 48 and -40 ppm)
 * the pairs' lags wander from one part of the recording to the next: their jackknife errors were
 * 3-9 times the 1 us the noise gives. On eval:tdoa's held-out FSK scenes, stations at +48 and
 * -40 ppm were 3.2 and 2.4 us off (5.6 and 4.3 times their bound, with the sign of eps); with this
 * shift removed as well, 0.6 and 0.5 times, and the FSK scenes above 10 dB without echoes went
 * from 1.29x to 0.96x the bound (`--kind fsk --scenes 40`). Over the band the scale leaves
 * eps (f - centre): 0.015 Hz at 300 Hz from the centre and 50 ppm.
 */
import type { SampleClock } from './sampleClock';

/** Samples per second of a clock over its whole span (the slope through its outer knots). */
export function clockRateHz(clock: SampleClock): number {
  const last = clock.knotSample.length - 1;
  return (
    (clock.knotSample[last] - clock.knotSample[0]) / (clock.knotTimeS[last] - clock.knotTimeS[0])
  );
}

/**
 * How far `other`'s block spectra show a signal at centreHz above `ref`'s because of their sample
 * rates alone, Hz (the same sign as frequencyOffset.ts's shifts: removed by shifting down).
 */
export function rateShiftHz(
  other: SampleClock,
  ref: SampleClock,
  gridRateHz: number,
  centreHz: number,
): number {
  return (-(clockRateHz(other) - clockRateHz(ref)) / gridRateHz) * centreHz;
}
