/**
 * The likelihood of a transmitter position from the stations' arrival times, with an honest
 * heavy tail for multipath.
 *
 * Each station i has a consensus arrival time t_i (closure.ts; station 0 at 0) and a timing
 * variance v_i (its measured error plus the model error). At a position x the residual is
 * r_i = t_i - d_i(x) / c; the common emission time t0 is unknown and integrated out under a flat
 * prior, which for Gaussian errors gives (W = sum 1/v_i)
 *
 *   log L = -1/2 [ sum r_i^2 / v_i - (sum r_i / v_i)^2 / W ],
 *
 * exactly the quadratic form of the N - 1 time differences with their covariance (v_0 shared).
 *
 * Multipath (TDOA_NOTES.md): an echo shorter than the inverse bandwidth moves a station's whole
 * timing by about alpha * delta (tens of microseconds) and no lag's scatter shows it; closure
 * cannot see it either, since it shifts every lag of that station alike. So each station's time
 * also carries, with prior probability `share`, an extra bias of variance `extraS2`. The
 * likelihood sums over which stations are so affected (every subset up to `maxCount` stations),
 * each configuration a Gaussian with its own variances, t0 integrated out:
 *
 *   L = sum_c prior(c) (prod_i v_i(c))^-1/2 W_c^-1/2 exp(-Q_c / 2).
 *
 * With four or more stations the data pick out a biased station (its configuration explains the
 * residuals, the others do not), so one echo no longer drags the point; with three the tail
 * widens the 95 % region by what an echo could do, since nothing can tell which station it was.
 */

export interface OutlierModel {
  /**
   * Probability that a station's time carries the extra bias: one for all, or one per station
   * (channelEvidence.ts updates it from each station's spectrum). A station at 0 is never
   * enumerated as biased (its variance already says all there is).
   */
  share: number | readonly number[];
  /** Variance of that bias, s^2. */
  extraS2: number;
  /** Configurations with at most this many biased stations are summed. */
  maxCount: number;
}

/** Precomputed configurations for N stations: the subsets, their log priors and weights. */
export interface Configurations {
  /** Flattened station lists of each configuration (biased stations), with offsets. */
  members: Int32Array;
  offsets: Int32Array;
  /** log prior(c) - 1/2 sum log v_i(c) + 1/2 sum log v_i (relative to the base). */
  logConst: Float64Array;
  /** Per member, 1 / (v_i + extra) - 1 / v_i. */
  deltaW: Float64Array;
}

export function configurations(variancesS2: readonly number[], o: OutlierModel): Configurations {
  const n = variancesS2.length;
  const shares = typeof o.share === 'number' ? new Array<number>(n).fill(o.share) : o.share;
  const open = shares.map((_, i) => i).filter((i) => shares[i] > 0 && shares[i] < 1);
  const sets: number[][] = [[]];
  const grow = (from: number, current: number[]) => {
    for (let q = from; q < open.length; q++) {
      const next = [...current, open[q]];
      sets.push(next);
      if (next.length < o.maxCount) grow(q + 1, next);
    }
  };
  if (o.maxCount > 0) grow(0, []);
  const offsets = new Int32Array(sets.length + 1);
  sets.forEach((s, k) => (offsets[k + 1] = offsets[k] + s.length));
  const members = new Int32Array(offsets[sets.length]);
  const deltaW = new Float64Array(members.length);
  const logConst = new Float64Array(sets.length);
  // Every open station unbiased, then each member's odds.
  let allClear = 0;
  for (const i of open) allClear += Math.log1p(-shares[i]);
  sets.forEach((s, k) => {
    let lc = allClear;
    s.forEach((i, q) => {
      const v = variancesS2[i];
      members[offsets[k] + q] = i;
      deltaW[offsets[k] + q] = 1 / (v + o.extraS2) - 1 / v;
      lc += Math.log(shares[i]) - Math.log1p(-shares[i]) - 0.5 * Math.log1p(o.extraS2 / v);
    });
    logConst[k] = lc;
  });
  return { members, offsets, logConst, deltaW };
}

/**
 * log L at residuals r (seconds), up to a constant; Gaussian only when `configs` is absent.
 * `posterior`, when given, receives each configuration's posterior probability.
 */
export function stationLogLikelihood(
  r: ArrayLike<number>,
  weights: ArrayLike<number>,
  configs?: Configurations,
  posterior?: Float64Array,
): number {
  const p = preparedFor(weights as Float64Array, configs);
  const logL = preparedLogLikelihood(r as Float64Array, p);
  if (posterior)
    for (let k = 0; k < p.terms.length; k++) posterior[k] = Math.exp(p.terms[k] - p.best) / p.sum;
  return logL;
}

/** The prepared model of these weights and configurations, made once while they stay the same. */
const preparedOf = new WeakMap<object, PreparedLikelihood>();

function preparedFor(weights: Float64Array, configs?: Configurations): PreparedLikelihood {
  const key = configs ?? weights;
  const known = preparedOf.get(key);
  if (known && known.weights === weights) {
    // The weights may have been changed in place: their sum says so.
    let w = 0;
    for (let i = 0; i < weights.length; i++) w += weights[i];
    if (w === known.w) return known;
  }
  const made = prepareLikelihood(weights, configs);
  preparedOf.set(key, made);
  return made;
}

/**
 * What stationLogLikelihood needs that does not change from cell to cell of a grid: the weights,
 * their sum and each configuration's constants, worked out once (prepareLikelihood).
 */
export interface PreparedLikelihood {
  weights: Float64Array;
  w: number;
  members: Int32Array;
  offsets: Int32Array;
  deltaW: Float64Array;
  totalW: Float64Array;
  constant: Float64Array;
  /** Scratch: each configuration's log term. */
  terms: Float64Array;
  /** Whether the configurations are summed (false: the Gaussian alone). */
  mixture: boolean;
  /** The last call's largest term and its sum of exp(term - best) (each configuration's share). */
  best: number;
  sum: number;
}

export function prepareLikelihood(
  weights: Float64Array,
  configs?: Configurations,
): PreparedLikelihood {
  let w = 0;
  for (let i = 0; i < weights.length; i++) w += weights[i];
  const none = { members: new Int32Array(0), deltaW: new Float64Array(0) };
  const constants = configs ? configConstants(configs, weights, w) : undefined;
  return {
    weights,
    w,
    members: configs?.members ?? none.members,
    offsets: configs?.offsets ?? new Int32Array(1),
    deltaW: configs?.deltaW ?? none.deltaW,
    totalW: constants?.totalW ?? new Float64Array(0),
    constant: constants?.constant ?? new Float64Array(0),
    terms: new Float64Array(configs ? configs.logConst.length : 0),
    mixture: configs !== undefined,
    best: 0,
    sum: 1,
  };
}

/**
 * stationLogLikelihood(r, weights, configs) for a prepared model: the same arithmetic in the same
 * order, so the same number, without looking up the configurations' constants for every cell
 * (issue 12, item 10: in the browser that lookup and the generic argument types made the fine
 * grid's mixture cost twice its Gaussian part). The residuals are r[at], r[at + 1], ...: a grid
 * keeps a row's residuals in one array (gridGeometry.ts).
 */
export function preparedLogLikelihood(r: Float64Array, p: PreparedLikelihood, at = 0): number {
  const weights = p.weights;
  const n = weights.length;
  let s0 = 0;
  let s1 = 0;
  for (let i = 0; i < n; i++) {
    const wi = weights[i];
    const ri = r[at + i];
    s0 += ri * ri * wi;
    s1 += ri * wi;
  }
  if (!p.mixture) return -0.5 * (s0 - (s1 * s1) / p.w);
  const { members, offsets, deltaW, totalW, constant, terms } = p;
  const count = terms.length;
  let best = -Infinity;
  let top = -1;
  for (let k = 0; k < count; k++) {
    let a0 = s0;
    let a1 = s1;
    for (let q = offsets[k]; q < offsets[k + 1]; q++) {
      const ri = r[at + members[q]];
      const dw = deltaW[q];
      a0 += ri * ri * dw;
      a1 += ri * dw;
    }
    const t = constant[k] - 0.5 * (a0 - (a1 * a1) / totalW[k]);
    terms[k] = t;
    if (t > best) {
      best = t;
      top = k;
    }
  }
  // The best term's exp(0) is exactly 1: one exponential fewer per cell, the same sum.
  let sum = 0;
  for (let k = 0; k < count; k++) sum += k === top ? 1 : Math.exp(terms[k] - best);
  p.best = best;
  p.sum = sum;
  return best + Math.log(sum);
}

/**
 * Each configuration's total weight and log constant (logConst - log(W_c / W) / 2) depend on the
 * weights alone, not on the residuals: computed once per model instead of once per grid cell
 * (a grid of 90k cells evaluates the likelihood 90k times with the same weights). The same
 * arithmetic in the same order as per cell, so the same numbers.
 */
interface ConfigConstants {
  weights: ArrayLike<number>;
  w: number;
  totalW: Float64Array;
  constant: Float64Array;
}
const constantsOf = new WeakMap<Configurations, ConfigConstants>();

function configConstants(
  c: Configurations,
  weights: ArrayLike<number>,
  w: number,
): ConfigConstants {
  const known = constantsOf.get(c);
  if (known && known.weights === weights && known.w === w) return known;
  const count = c.logConst.length;
  const totalW = new Float64Array(count);
  const constant = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let aw = w;
    for (let q = c.offsets[k]; q < c.offsets[k + 1]; q++) aw += c.deltaW[q];
    totalW[k] = aw;
    constant[k] = c.logConst[k] - 0.5 * Math.log(aw / w);
  }
  const made = { weights, w, totalW, constant };
  constantsOf.set(c, made);
  return made;
}
