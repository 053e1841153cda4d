#!/usr/bin/env python3
"""Independent numpy implementation of the log-mel feature contract, used to make the reference
vectors that tests/core/logMel.test.ts checks the TypeScript implementation against.

Run with Debian's interpreter (it has numpy):  /usr/bin/python3 training/reference/make_logmel_vectors.py
Writes tests/fixtures/logmel/{case}.iq.f32 (interleaved I/Q float32 LE), {case}.logmel.f32
(float32 LE, (n_mels, n_frames) row-major) and cases.json.
"""
import json
import pathlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "logmel"
P = json.loads((ROOT / "training" / "preprocessing.json").read_text())


def signed_mel(f):
    return np.sign(f) * 2595.0 * np.log10(1.0 + np.abs(f) / 700.0)


def signed_mel_to_hz(m):
    return np.sign(m) * 700.0 * (10.0 ** (np.abs(m) / 2595.0) - 1.0)


def mel_matrix(p):
    fs, n_fft, n_mels = p["sampleRateHz"], p["nFft"], p["nMels"]
    freqs = np.fft.fftfreq(n_fft, d=1.0 / fs)  # natural FFT order, negative above n_fft/2
    edges = signed_mel_to_hz(np.linspace(signed_mel(-fs / 2), signed_mel(fs / 2), n_mels + 2))
    lo, c, hi = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    w = np.minimum((freqs[None, :] - lo) / (c - lo), (hi - freqs[None, :]) / (hi - c))
    return np.maximum(w, 0.0)


def log_mel(iq, p):
    n_fft, hop, n_frames = p["nFft"], p["hop"], p["nFrames"]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)  # periodic Hann
    x = iq[0::2].astype(np.float64) + 1j * iq[1::2].astype(np.float64)
    frames = np.stack([x[t * hop : t * hop + n_fft] * window for t in range(n_frames)])
    power = np.abs(np.fft.fft(frames, axis=1)) ** 2 / (n_fft * np.sum(window**2))
    mel = power @ mel_matrix(p).T  # (n_frames, n_mels)
    db = 10.0 * np.log10(np.maximum(mel, 10.0 ** (p["dbFloor"] / 10.0)))
    return db.T.astype(np.float32)  # (n_mels, n_frames)


def make_cases():
    rng = np.random.default_rng(20261122)
    fs = P["sampleRateHz"]
    n = P["nFft"] + P["hop"] * (P["nFrames"] - 1) + 100
    t = np.arange(n) / fs
    cases = {}
    # A weak tone in noise, off centre.
    noise = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(1e-9 / 2)
    cases["tone_in_noise"] = 10 ** (-60 / 20) * np.exp(2j * np.pi * 1234.5 * t) + noise
    # FM-like sweep at -20 dBFS near the negative band edge plus noise.
    phase = 2 * np.pi * (-4500 * t + 800 * np.sin(2 * np.pi * 3 * t) / (2 * np.pi * 3))
    noise = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * np.sqrt(1e-7 / 2)
    cases["sweep"] = 0.1 * np.exp(1j * phase) + noise
    # Silence: every value sits on the dB floor.
    cases["silence"] = np.zeros(n, dtype=np.complex128)
    return cases


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    index = {}
    for name, x in make_cases().items():
        iq = np.empty(2 * len(x), dtype=np.float32)
        iq[0::2], iq[1::2] = x.real, x.imag
        iq.astype("<f4").tofile(OUT / f"{name}.iq.f32")
        lm = log_mel(iq, P)
        lm.astype("<f4").tofile(OUT / f"{name}.logmel.f32")
        index[name] = {"samples": len(x), "shape": list(lm.shape)}
    mel = mel_matrix(P)
    index["_melbank"] = {"rowSums": [float(s) for s in mel.sum(axis=1)], "preprocessing": P}
    (OUT / "cases.json").write_text(json.dumps(index, indent=1) + "\n")
    print("wrote", sorted(index))


if __name__ == "__main__":
    main()
