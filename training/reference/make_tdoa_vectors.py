#!/usr/bin/python3
"""Reference vectors for the TDoA core, from an independent implementation (numpy/scipy).

- WGS84 geodesic distances by Vincenty's inverse formula (written here from the 1975 paper),
  against which the TypeScript Andoyer-Lambert grid distances and geographiclib are checked;
- the block-wise envelope cross-correlation of a band-limited noise signal and its copy delayed
  by a fractional number of samples: the lag maximising sum_k |r_k(tau)|^2 found by scipy's
  bounded scalar optimiser on the DTFT of numpy FFT cross spectra;
- the Gaussian log-likelihood of time differences at a few points with Vincenty distances.

Run: /usr/bin/python3 training/reference/make_tdoa_vectors.py  (writes tests/fixtures/tdoa/vectors.json)
"""
import json
import math
import os

import numpy as np
from scipy.optimize import minimize_scalar

A = 6378137.0
F = 1 / 298.257223563
B = A * (1 - F)
C = 299792458.0


def vincenty(lat1, lon1, lat2, lon2):
    L = math.radians(lon2 - lon1)
    U1 = math.atan((1 - F) * math.tan(math.radians(lat1)))
    U2 = math.atan((1 - F) * math.tan(math.radians(lat2)))
    sU1, cU1, sU2, cU2 = math.sin(U1), math.cos(U1), math.sin(U2), math.cos(U2)
    lam = L
    for _ in range(200):
        sl, cl = math.sin(lam), math.cos(lam)
        ss = math.hypot(cU2 * sl, cU1 * sU2 - sU1 * cU2 * cl)
        if ss == 0:
            return 0.0
        cs = sU1 * sU2 + cU1 * cU2 * cl
        sig = math.atan2(ss, cs)
        sa = cU1 * cU2 * sl / ss
        c2a = 1 - sa * sa
        c2sm = cs - 2 * sU1 * sU2 / c2a if c2a != 0 else 0.0
        Cc = F / 16 * c2a * (4 + F * (4 - 3 * c2a))
        prev = lam
        lam = L + (1 - Cc) * F * sa * (sig + Cc * ss * (c2sm + Cc * cs * (-1 + 2 * c2sm * c2sm)))
        if abs(lam - prev) < 1e-13:
            break
    u2 = c2a * (A * A - B * B) / (B * B)
    AA = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
    BB = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
    ds = BB * ss * (c2sm + BB / 4 * (cs * (-1 + 2 * c2sm * c2sm) - BB / 6 * c2sm * (-3 + 4 * ss * ss) * (-3 + 4 * c2sm * c2sm)))
    return B * AA * (sig - ds)


def distances(rng):
    out = []
    for _ in range(40):
        lat1 = rng.uniform(-70, 70)
        lon1 = rng.uniform(-180, 180)
        # Up to about 3000 km away, the range TDoA works in.
        lat2 = float(np.clip(lat1 + rng.uniform(-25, 25), -80, 80))
        lon2 = lon1 + rng.uniform(-30, 30)
        out.append({"a": [lat1, lon1], "b": [lat2, lon2], "distanceM": vincenty(lat1, lon1, lat2, lon2)})
    return out


def correlation(rng):
    n = 512
    blocks = 16
    hop = n // 2
    total = hop * (blocks + 1) + 64
    fs = 12000.0
    # Band-limited complex noise: white noise through an FFT mask of -1500..2500 Hz.
    z = rng.normal(size=4 * total) + 1j * rng.normal(size=4 * total)
    spec = np.fft.fft(z)
    f = np.fft.fftfreq(z.size, 1 / fs)
    spec[(f < -1500) | (f > 2500)] = 0
    x_long = np.fft.ifft(spec)
    delay = 3.37  # samples: y(t) = x(t - delay)
    y_long = np.fft.ifft(spec * np.exp(-2j * np.pi * np.fft.fftfreq(z.size) * delay))
    x = x_long[:total] + 0.05 * (rng.normal(size=total) + 1j * rng.normal(size=total))
    y = y_long[:total] + 0.05 * (rng.normal(size=total) + 1j * rng.normal(size=total))
    # Rounded as stored, so both sides start from the same numbers.
    x = np.round(x.real, 5) + 1j * np.round(x.imag, 5)
    y = np.round(y.real, 5) + 1j * np.round(y.imag, 5)
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)
    w = w / math.sqrt(np.sum(w * w))
    k = np.fft.fftfreq(n) * n  # signed bins
    band = np.where((k * fs / n >= -1500) & (k * fs / n <= 2500))[0]
    cross = []
    for b in range(blocks):
        X = np.fft.fft(x[b * hop:b * hop + n] * w)
        Y = np.fft.fft(y[b * hop:b * hop + n] * w)
        cross.append(np.conj(X[band]) * Y[band])
    cross = np.array(cross)
    omega = 2 * np.pi * k[band] / n

    def s(tau):
        r = cross @ np.exp(1j * omega * tau)
        return -np.sum(np.abs(r) ** 2)

    best = minimize_scalar(s, bounds=(0, 7), method="bounded", options={"xatol": 1e-9})
    return {
        "blockSize": n,
        "blocks": blocks,
        "hop": hop,
        "sampleRateHz": fs,
        "bandHz": [-1500, 2500],
        "trueDelaySamples": delay,
        "x": [round(v, 5) for v in np.column_stack([x.real, x.imag]).ravel().tolist()],
        "y": [round(v, 5) for v in np.column_stack([y.real, y.imag]).ravel().tolist()],
        "lagSamples": float(best.x),
    }


def likelihood(rng):
    stations = [[46.499351, 8.798828], [51.466044, 11.977189], [51.5005, 3.60069], [48.2, 16.3]]
    truth = [50.0152, 9.0112]
    d = [vincenty(truth[0], truth[1], s[0], s[1]) for s in stations]
    measured = [(d[i] - d[0]) / C + rng.normal() * 3e-6 for i in range(1, len(stations))]
    v = [9e-12, 16e-12, 12e-12, 25e-12]
    cov = np.array([[v[0] + (v[i + 1] if i == j else 0) for j in range(3)] for i in range(3)])
    inv = np.linalg.inv(cov)
    points = [[50.0, 9.0], [49.5, 10.2], [51.0, 7.5], [47.0, 12.0]]
    logl = []
    for p in points:
        dd = [vincenty(p[0], p[1], s[0], s[1]) for s in stations]
        r = np.array([measured[i - 1] - (dd[i] - dd[0]) / C for i in range(1, len(stations))])
        logl.append(float(-0.5 * r @ inv @ r))
    return {"stations": stations, "measuredS": measured, "variancesS2": v, "points": points, "logL": logl}


def main():
    rng = np.random.default_rng(20261201)
    out = {"distances": distances(rng), "correlation": correlation(rng), "likelihood": likelihood(rng)}
    path = os.path.join(os.path.dirname(__file__), "../../tests/fixtures/tdoa/vectors.json")
    with open(path, "w") as fh:
        json.dump(out, fh)
    print("wrote", os.path.normpath(path), "lag", out["correlation"]["lagSamples"])


main()
