/**
 * One simulated KiwiSDR's sample clock and GPS stamps, streaming, for the live network's GPS mode
 * (issue 12 item 7). The model is the TDoA simulator's (src/core/sim/tdoa/kiwiClock.ts,
 * impairments.ts): the ADC runs tens of ppm off the nominal rate; a GPS fix every fixIntervalS
 * resets the receiver's clock model to GPS time within the fix's jitter; between fixes the stamps
 * drift with the receiver's rate-estimate error; last_gps_solution counts whole seconds since the
 * fix, so a stamp is fresh where it drops. Times are seconds since the network's start.
 */
import type { KiwiGpsStamp } from '../kiwi/sndFrame';
import type { Rng } from '../rng';
import { gpsStampOf } from '../sim/tdoa/kiwiClock';
import { DEFAULT_IMPAIRMENTS, type Range } from '../sim/tdoa/impairments';

export interface GpsClockOptions {
  /** The true rate lies within +-this of the nominal rate, ppm. */
  rateOffsetPpm: number;
  /** Standard deviation of a fix's time error, ns. */
  stampJitterNs: number;
  fixIntervalS: Range;
}

/** last_gps_solution saturates here (254 = stale) in the Kiwi's counter. */
const MAX_COUNTER = 253;

export class GpsReceiverClock {
  readonly trueRateHz: number;
  private fixAtS: number;
  private fixErrorS = 0;
  private rateError = 0;
  private nextFixS: number;

  constructor(
    private readonly rng: Rng,
    nominalRateHz: number,
    private readonly o: GpsClockOptions,
    /** UTC seconds of the network's start (time 0). */
    private readonly startUnixS: number,
  ) {
    this.trueRateHz = nominalRateHz * (1 + rng.uniform(-o.rateOffsetPpm, o.rateOffsetPpm) * 1e-6);
    // The receiver has had a fix for a while when the network starts.
    this.fixAtS = -rng.uniform(0, o.fixIntervalS.hi);
    this.nextFixS = this.fixAtS + rng.uniform(o.fixIntervalS.lo, o.fixIntervalS.hi);
    this.newFixErrors();
  }

  /** True time of the receiver's sample n, seconds since the start. */
  timeOfSample(n: number): number {
    return n / this.trueRateHz;
  }

  /** The receiver's GPS stamp of its sample n (call with n increasing) and the time it states. */
  stamp(n: number): { gps: KiwiGpsStamp; stampS: number } {
    const t = this.timeOfSample(n);
    while (this.nextFixS <= t) {
      this.fixAtS = this.nextFixS;
      this.nextFixS += this.rng.uniform(this.o.fixIntervalS.lo, this.o.fixIntervalS.hi);
      this.newFixErrors();
    }
    const stampS = t + this.fixErrorS + (t - this.fixAtS) * this.rateError;
    const counter = Math.min(MAX_COUNTER, Math.floor(t - this.fixAtS));
    const whole = Math.floor(this.startUnixS);
    return { gps: gpsStampOf(whole, this.startUnixS - whole + stampS, counter), stampS };
  }

  private newFixErrors(): void {
    this.fixErrorS = this.o.stampJitterNs * 1e-9 * this.rng.normal();
    this.rateError = DEFAULT_IMPAIRMENTS.rateErrorBetweenFixes * this.rng.normal();
  }
}
