/** Defaults of the TDoA solver, each with the reason it has its value. */

/**
 * Block length for the cross-correlation, seconds (rounded up to a power of two of samples).
 * Long enough for a time-bandwidth product in the hundreds per block (a 1 kHz signal: ~300) and
 * many times the largest lag (3000 km is 10 ms); short enough that a 0.1 Hz receiver frequency
 * error turns the phase by only 0.03 turns within a block.
 */
export const BLOCK_S = 0.25;
/** Blocks overlap by half (Hann windows): every sample counts about equally. */
export const BLOCK_OVERLAP = 2;
/** Fewer seconds than this in common and a station cannot take part (8 jackknife groups of 0.25 s). */
export const MIN_OVERLAP_S = 2;
/** At most this many seconds are analysed (the middle of longer spans): memory and time bound. */
export const MAX_ANALYSIS_S = 300;
/**
 * Block spectra are kept between the two passes over the samples when all stations' together
 * take at most this many bytes (30 s of three stations: 17 MB); longer scenes transform twice.
 */
export const SPECTRA_CACHE_BYTES = 64 * 1024 * 1024;
/** Stations further than this from every other one are refused (a wrong position, most likely). */
export const MAX_BASELINE_M = 3_000_000;
/**
 * Lags searched beyond the geometric limit d/c: station positions can be off by a few hundred
 * metres and the peak needs its flanks; 4 samples plus 50 us.
 */
export const LAG_MARGIN_SAMPLES = 4;
export const LAG_MARGIN_S = 50e-6;
/**
 * Model error per station, seconds, added in quadrature to the measured timing error: what the
 * data cannot show and the multipath tail (below) does not cover. Ground-wave speed over land
 * differs from c by parts in 10^4 (Loran-C additional secondary factors: a few microseconds over
 * a few hundred km, and much less between nearby paths); receivers' filter delays are corrected
 * by the KiwiSDR server; GPS stamps are good to well under a microsecond, but a receiver's clock
 * wanders between its fixes (a rate error of 5e-8 over 2-5 s is 0.1-0.25 us). 0.2 us (60 m of
 * path) per station. The large, rare errors (multipath echoes: tens of us) are the mixture's job,
 * and with four or more stations a misfit beyond this adds its own (locateTdoa.ts). On
 * eval:tdoa's calibration seed 1 (100 scenes): 1 us made every 68 % region of a scene with
 * sub-microsecond lags hold the truth (all scenes 84 %, goal 60-76 %); 0.2 us gives 79 % and
 * err/CRB 1.08x above 10 dB; 0.1 us 84 % and 1.39x (60 scenes), 0.05 us 78 % and 1.16x (the
 * small lags' own errors have heavier tails than their sigmas say). 3 us before 1 us.
 * Re-checked 2026-12-03 with eval:tdoa's credibility table (README, Simulation): without it the
 * held-out posterior is calibrated at every level, but on seeds 1 and 2 the 95 % regions then hold
 * 93 % and 89 %, and it is the only allowance for what the simulation leaves out (cable delays,
 * ground-wave speed): kept.
 */
export const STATION_MODEL_ERROR_S = 0.2e-6;
/**
 * Multipath (stationLikelihood.ts). An echo shorter than the inverse bandwidth moves a station's
 * timing by about alpha * delta; TDOA_NOTES.md's example, a 30 % echo at 100 us, gives 30 us,
 * which is the bias's spread here. Each station is taken to carry such a bias with prior
 * probability MULTIPATH_SHARE; at most MAX_BIASED_STATIONS at once are considered (more is
 * rare, and the configurations grow as N^k).
 */
export const MULTIPATH_BIAS_S = 30e-6;
export const MULTIPATH_SHARE = 0.1;
export const MAX_BIASED_STATIONS = 2;
/**
 * A station whose spectrum makes an echo at least this probable (channelSlope.ts) is taken as
 * echoed: the bias's variance is added to its own instead of enumerating it in the mixture.
 */
export const ECHO_CERTAIN_SHARE = 0.5;
/**
 * Blocks of receivers off one another's sample rates are taken onto the grid's time base
 * (blockSpectra.ts, one more transform per block) only where the largest lag bias that removes,
 * the stations' rate spread times half a block, is at least this share of the finest pair's
 * timing error (its jackknife error where the first windows are placed): a bias under a tenth of
 * the error adds under half a percent to it. The real DCF77 set (rates within 5 ppm of one
 * another, timing errors of 20-30 us) is far below; a 25 dB scene of Kiwis tens of ppm apart is
 * far above.
 */
export const STRETCH_MIN_BIAS_SHARE = 0.1;
/** Search-grid cells (issue 12: at least 200k). */
export const GRID_CELLS = 250_000;
/** Cells of the zoomed grid the regions are measured on. */
export const FINE_GRID_CELLS = 90_000;
/** The search grid extends beyond the stations' box by this fraction of its size, at least MIN_PAD_M. */
export const GRID_PAD_FRACTION = 0.5;
export const GRID_MIN_PAD_M = 200_000;
/**
 * A refined peak is a mode of its own only where the path from a denser peak to it drops below
 * this share of its density (solvePosition.ts, separatePeaks). Two equal Gaussian hills have a
 * saddle at half their peaks when they are 3.3 sigma apart: closer, they are one hill with two
 * bumps. The two solutions of three stations (the hyperbolas' two crossings) are usually far
 * deeper apart.
 */
export const MODE_SADDLE_RATIO = 0.5;
/** A separate mode of the 95 % region is reported when it holds this much. */
export const MIN_MODE_WEIGHT = 0.02;
/** Centre frequencies further apart than this are different scenes. */
export const MAX_CENTER_FREQUENCY_DIFFERENCE_HZ = 1;
