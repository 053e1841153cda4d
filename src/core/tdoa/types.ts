/**
 * The TDoA contract (issue 12): stations, recordings with a time for every sample, and the
 * result one scene of N simultaneous recordings gives. Shared by the solver, the simulator, the
 * evaluation, the CLI and (next) the worker and the UI, so each of them speaks one language.
 *
 * Sign convention, stated once: the lag of pair (a, b) is tau_b - tau_a, the arrival time at b
 * minus the arrival time at a. A positive lag means the signal reached b later than a.
 */
import type { Cov2, EllipseSummary } from '../ellipse';
import type { StageTimes } from './stageTimes';
import type { GridSpec } from './gridGeometry';

/** A receiver site. `id` is the station id as a kiwirecorder file name writes it (case kept). */
export interface Station {
  id: string;
  lat: number;
  lon: number;
  altM?: number;
  name?: string;
}

/** The station-list JSON: `{"stations": [...]}`. */
export interface StationList {
  stations: Station[];
}

/**
 * Absolute time split so that microseconds survive: `sec` is a whole number of seconds since the
 * Unix epoch (UTC), `fracS` the rest in [0, 1). A double of Unix seconds alone keeps only about
 * 0.2 microseconds, which is fine, but sums and differences of two such values lose more.
 */
export interface SplitTime {
  sec: number;
  fracS: number;
}

/** How a recording's samples map to time, from its GPS stamps or its declared start and rate. */
export interface SampleTiming {
  /** Time of sample 0. */
  t0: SplitTime;
  /** Estimated (not nominal) sample rate, Hz. */
  sampleRateHz: number;
  /** The nominal rate the header announced. */
  nominalRateHz: number;
  /** Where the timing comes from. */
  source: 'gps' | 'sigmf-datetime' | 'simulated';
  /** Fresh GPS fixes used (KiwiSDR), and the newest fix's age at the end, seconds. */
  freshStamps?: number;
  gpsFixAgeS?: number;
  /** RMS of the stamp residuals against the fitted clock, seconds. */
  residualRmsS?: number;
}

/** One station's part in a scene: used, or excluded with the reason the operator reads. */
export interface StationUse {
  id: string;
  used: boolean;
  reason?: string;
  timing?: SampleTiming;
  /** The recording's file name (errors and the UI name it). */
  file?: string;
  /** Facts worth showing that did not exclude it (a gap skipped, stamps ignored). */
  notes?: string[];
}

/** A measured lag of pair (a, b): tau_b - tau_a, in microseconds, with its standard error. */
export interface PairLag {
  a: string;
  b: string;
  lagUs: number;
  sigmaUs: number;
  /** Normalised peak height of the correlation, 0..1. */
  peak?: number;
  /** The correlation around the peak, for the plot: lags in microseconds and values. */
  curve?: { lagUs: number[]; value: number[] };
  /** False when the pair was left out of the position (the reason says why). */
  used?: boolean;
  reason?: string;
}

/** tau_ab + tau_bc - tau_ac of a triplet (zero for consistent lags), microseconds. */
export interface TripletClosure {
  a: string;
  b: string;
  c: string;
  residualUs: number;
  sigmaUs: number;
}

/** How the solver's note on separate modes begins (the panel lists the modes itself, without it). */
export const AMBIGUOUS_NOTE = 'the geometry is ambiguous';

/** One separate mode of the posterior when the geometry is ambiguous. */
export interface TdoaMode {
  lat: number;
  lon: number;
  /** Posterior mass of the mode, 0..1. */
  weight: number;
  /**
   * A mode off the grid (a crossing too far from the position for one grid to resolve both): its
   * part of the result's 68 %/95 % regions, ellipses of its Gaussian core at the grid's density
   * levels (absent at a level its peak does not reach).
   */
  ellipses?: EllipseSummary[];
  /** Such a mode's Gaussian core: its east/north covariance, m^2 (its mass is `weight`). */
  core?: Cov2;
}

/** The posterior on the search grid, for the heat map and its contours. */
export interface TdoaGrid extends GridSpec {
  /** Row-major posterior probability per cell (sums to 1). */
  prob: Float32Array;
  /**
   * Probability thresholds whose super-level sets hold 68 % and 95 % of the posterior (with the
   * ellipses of the modes off the grid, TdoaMode.ellipses, where there are such).
   */
  level68: number;
  level95: number;
  /** The share of the whole posterior the grid holds (its prob sums to 1); absent: all of it. */
  share?: number;
}

export interface TdoaResult {
  scene: string;
  method: 'tdoa';
  /** Absent when only two stations are usable (a hyperbola, not a point). */
  lat?: number;
  lon?: number;
  stations: StationUse[];
  pairs: PairLag[];
  ellipses: EllipseSummary[];
  modes?: TdoaMode[];
  /** With two usable stations: the hyperbola as a polyline of [lon, lat]. */
  hyperbola?: [number, number][];
  grid?: TdoaGrid;
  /** The band the lags were measured in, Hz from the centre frequency, and who chose it. */
  band?: {
    loHz: number;
    hiHz: number;
    chosenBy: 'operator' | 'strongest-common-signal' | 'whole-band';
    /** Only a steady carrier is shared: its sidebands were read against it (measureLags.ts). */
    againstCarrier?: boolean;
  };
  closures?: TripletClosure[];
  /** Span of time all used stations cover: start (ISO 8601 UTC) and length, seconds. */
  span?: { start: string; durationS: number };
  /** Things the operator should know about this result (scaled uncertainties, grid edge). */
  notes?: string[];
}

/** What the operator may set; everything has a default chosen on evidence. */
export interface TdoaOptions {
  /** Passband relative to the centre frequency, Hz; default: around the strongest common signal. */
  bandHz?: { lo: number; hi: number };
  /**
   * Model error per station added to the measured timing error, microseconds (multipath,
   * ground-wave speed, receiver delays). Default: see tdoaDefaults.ts.
   */
  stationModelErrorUs?: number;
  /** Cells of the search grid (at least 200k by default). */
  gridCells?: number;
  /**
   * When given, the solver adds the milliseconds of each stage to it (stageTimes.ts): the
   * benchmark's breakdown. It changes nothing in the result.
   */
  stageMs?: StageTimes;
}
