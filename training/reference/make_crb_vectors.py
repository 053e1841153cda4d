#!/usr/bin/python3
"""Reference vectors for src/core/tdoa/crb.ts (tests/sim/tdoaCrb.test.ts).

Independent of the TypeScript code:
- the Knapp & Carter delay bound and the per-station shares are numpy sums written from the
  formula (var = 1 / (2 T sum (2 pi (f - fbar))^2 gamma df), fbar the gamma-weighted mean);
- the position bound is numpy's generic Gaussian Fisher information with the explicit
  (N-1)x(N-1) covariance of the delay differences against the reference, inverted with
  numpy.linalg.inv (the TypeScript uses a Cholesky solve);
- the median radial error (CEP) of a 2-D Gaussian uses a different formula from the TypeScript
  one: P(R <= r) = integral over x of N(x; 0, l1) * erf(sqrt(r^2 - x^2) / sqrt(2 l2)),
  integrated by scipy.integrate.quad and solved by scipy.optimize.brentq, and cross-checked by a
  Monte Carlo draw of 2 million points.

Run:  apt-get install -y python3-numpy python3-scipy
      /usr/bin/python3 training/reference/make_crb_vectors.py
Writes tests/fixtures/tdoa-sim/crb.json.
"""
import json
import math
import pathlib

import numpy as np
from scipy import integrate, optimize, special

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "tdoa-sim"
C = 299_792_458.0
rng = np.random.default_rng(20261201)


def centred_information(freq, w, duration, bin_hz):
    fbar = np.sum(w * freq) / np.sum(w)
    return 2 * duration * np.sum((2 * np.pi * (freq - fbar)) ** 2 * w) * bin_hz


def pair_var(freq, sa, sb, duration, bin_hz):
    return 1 / centred_information(freq, sa * sb / (1 + sa + sb), duration, bin_hz)


def share(freq, s, duration, bin_hz):
    return 1 / centred_information(freq, s, duration, bin_hz)


def spectrum_case(kind):
    n = 256
    bin_hz = 12000 / n
    freq = (np.arange(n) - n // 2) * bin_hz
    if kind == "flat":
        shape = (np.abs(freq - 500) <= 2000).astype(float)
    elif kind == "gaussian":
        shape = np.exp(-0.5 * ((freq + 1200) / 300) ** 2)
    else:  # a carrier plus weak sidebands, like AM
        shape = 1e-3 * (np.abs(freq - 800) <= 3000) + (np.abs(freq - 800) < bin_hz / 2) * 50
    shape = shape / (np.sum(shape) * bin_hz)
    snr_scale_a = 10 ** rng.uniform(1, 5)
    snr_scale_b = 10 ** rng.uniform(1, 5)
    sa = snr_scale_a * shape
    sb = snr_scale_b * shape
    duration = float(rng.uniform(5, 30))
    return {
        "kind": kind,
        "freqHz": freq.tolist(),
        "snrA": sa.tolist(),
        "snrB": sb.tolist(),
        "durationS": duration,
        "binHz": bin_hz,
        "pairVarianceS2": pair_var(freq, sa, sb, duration, bin_hz),
        "shareAS2": share(freq, sa, duration, bin_hz),
        "shareBS2": share(freq, sb, duration, bin_hz),
    }


def position_case(n_stations):
    az = rng.uniform(0, 360, n_stations)
    shares = 10 ** rng.uniform(-16, -12, n_stations)
    clocks = 10 ** rng.uniform(-17, -15, n_stations)
    # Pair variances: the sum of the shares plus a low-SNR excess, symmetric.
    excess = 10 ** rng.uniform(-17, -13, (n_stations, n_stations))
    excess = (excess + excess.T) / 2
    pair = shares[:, None] + shares[None, :] + excess
    ref = int(rng.integers(0, n_stations))
    others = [k for k in range(n_stations) if k != ref]
    grad = np.stack([-np.sin(np.radians(az)), -np.cos(np.radians(az))], axis=1)
    h = (grad[others] - grad[ref]) / C
    cov = np.full((len(others), len(others)), shares[ref] + clocks[ref])
    for i, k in enumerate(others):
        cov[i, i] = pair[ref, k] + clocks[ref] + clocks[k]
    fisher = h.T @ np.linalg.inv(cov) @ h
    p = np.linalg.inv(fisher)
    return {
        "azimuthDeg": az.tolist(),
        "shareS2": shares.tolist(),
        "clockVarianceS2": clocks.tolist(),
        "pairVarianceS2": pair.tolist(),
        "reference": ref,
        "cov": {"ee": p[0, 0], "en": p[0, 1], "nn": p[1, 1]},
    }


def radial_cdf(r, l1, l2):
    s1 = math.sqrt(l1)

    def f(x):
        return (
            math.exp(-x * x / (2 * l1))
            / (s1 * math.sqrt(2 * math.pi))
            * special.erf(math.sqrt(max(r * r - x * x, 0)) / math.sqrt(2 * l2))
        )

    # The erf factor falls from 1 to 0 within about l2 / r of x = +-r: tell quad where.
    edges = [r - k * l2 / r for k in (1, 10, 100) if k * l2 / r < r / 2]
    points = sorted([-e for e in edges] + edges)
    return integrate.quad(f, -r, r, epsabs=1e-14, epsrel=1e-13, limit=1000, points=points or None)[0]


def cep_case(ee, en, nn):
    w = np.linalg.eigvalsh(np.array([[ee, en], [en, nn]]))
    l2, l1 = float(w[0]), float(w[1])
    r = optimize.brentq(lambda r: radial_cdf(r, l1, l2) - 0.5, 1e-9 * math.sqrt(l1), 5 * math.sqrt(l1), xtol=1e-14, rtol=1e-13)
    draws = rng.multivariate_normal([0, 0], [[ee, en], [en, nn]], size=2_000_000)
    mc = float(np.median(np.hypot(draws[:, 0], draws[:, 1])))
    assert abs(mc / r - 1) < 3e-3, (mc, r)
    return {"cov": {"ee": ee, "en": en, "nn": nn}, "medianRadialErrorM": r}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    vectors = {
        "spectra": [spectrum_case(k) for k in ("flat", "gaussian", "carrier")],
        "positions": [position_case(n) for n in (3, 4, 5, 8)],
        "ceps": [
            cep_case(1.0, 0.0, 1.0),
            cep_case(4.0, 0.0, 1.0),
            cep_case(2.5e5, 1.2e5, 1.1e5),
            cep_case(100.0, 0.0, 1e-3),
            cep_case(3.0e6, -2.9e6, 3.0e6),
        ],
    }
    (OUT / "crb.json").write_text(json.dumps(vectors, indent=1) + "\n")
    print("wrote", OUT / "crb.json")


if __name__ == "__main__":
    main()
