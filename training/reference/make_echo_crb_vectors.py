#!/usr/bin/python3
"""Reference vectors for echoedStationShareS2 in src/core/tdoa/crb.ts (tests/sim/tdoaEchoCrb.test.ts).

Independent of the TypeScript code: the station's log-spectrum ln X(f) = -i w tau + i phi + g +
ln(1 + sum_j c_j e^{-i w delta_j}) is written as one numpy function of the parameter vector
(tau, phi, g, and per echo Re c, Im c, delta), its Jacobian is taken by central finite
differences (complex step sizes chosen per parameter), the Fisher matrix is
2 T df sum S |H|^2 Re(conj(J_a) J_b) and numpy.linalg.inv gives the delay's variance. The
phases-only bound keeps Im(J_a) Im(J_b) alone and leaves the gain out. The
TypeScript writes the derivatives out analytically and solves by Cholesky.

Run:  python3 training/reference/make_echo_crb_vectors.py   (any Python 3 with numpy)
Writes tests/fixtures/tdoa-sim/echoCrb.json.
"""
import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "tdoa-sim"
rng = np.random.default_rng(20261202)


def log_x(theta, freq, n_echoes):
    w = 2 * np.pi * freq
    tau, phi, g = theta[0], theta[1], theta[2]
    h = np.ones_like(w, dtype=complex)
    for j in range(n_echoes):
        c = theta[3 + 3 * j] + 1j * theta[4 + 3 * j]
        h = h + c * np.exp(-1j * w * theta[5 + 3 * j])
    return -1j * w * tau + 1j * phi + g + np.log(h), np.abs(h) ** 2


def share(freq, snr, duration, bin_hz, echoes, phase_only=False):
    theta = [0.0, 0.0, 0.0]
    for e in echoes:
        c = e["relativeAmplitude"] * np.exp(1j * e["phaseRad"])
        theta += [c.real, c.imag, e["delayS"]]
    theta = np.array(theta)
    n = len(echoes)
    _, h2 = log_x(theta, freq, n)
    jac = []
    for a in range(len(theta)):
        step = 1e-9 if a == 0 or (a >= 3 and (a - 3) % 3 == 2) else 1e-6
        up = theta.copy()
        dn = theta.copy()
        up[a] += step
        dn[a] -= step
        jac.append((log_x(up, freq, n)[0] - log_x(dn, freq, n)[0]) / (2 * step))
    jac = np.array(jac)
    weight = 2 * duration * bin_hz * snr * h2
    if phase_only:
        # The levels say nothing: only the imaginary parts (the phases) inform, and the gain,
        # which moves nothing else, is left out.
        jac = np.delete(np.imag(jac), 2, axis=0)
        fisher = jac @ (jac * weight).T
    else:
        fisher = np.real(np.conj(jac) @ (jac * weight).T)
    return float(np.linalg.inv(fisher)[0, 0])


cases = []
bin_hz = 11.71875
for kind, lo, hi, n_echoes in [
    ("wide", -4000, 4000, 0),
    ("wide", -4000, 4000, 1),
    ("narrow", 500, 1500, 1),
    ("wide", -3000, 2000, 2),
]:
    freq = np.arange(lo, hi, bin_hz)
    snr = np.round(10 ** rng.uniform(0, 2, size=freq.size), 6)
    echoes = [
        {
            "relativeAmplitude": float(rng.uniform(0.1, 0.5)),
            "delayS": float(rng.uniform(10e-6, 200e-6)),
            "phaseRad": float(rng.uniform(0, 2 * np.pi)),
        }
        for _ in range(n_echoes)
    ]
    cases.append(
        {
            "kind": kind,
            "freqHz": [float(f) for f in freq],
            "snr": [round(float(s), 6) for s in snr],
            "durationS": 20.0,
            "binHz": bin_hz,
            "echoes": echoes,
            "shareS2": share(freq, snr, 20.0, bin_hz, echoes),
            "phaseOnlyShareS2": share(freq, snr, 20.0, bin_hz, echoes, phase_only=True),
        }
    )

OUT.mkdir(parents=True, exist_ok=True)
(OUT / "echoCrb.json").write_text(json.dumps({"cases": cases}) + "\n")
print(
    "\n".join(
        f"{c['kind']} {len(c['echoes'])} echoes: {c['shareS2']:.4e}, phases only {c['phaseOnlyShareS2']:.4e}"
        for c in cases
    )
)
