#!/usr/bin/env python3
"""The log-mel anchor for `npm run bench`: numpy's time per 3-receiver scene with the feature
contract's parameters, using the independent implementation the tests check TypeScript against
(training/reference/make_logmel_vectors.py). The mel bank and window are built once, as any
serving code would; only the per-scene work is timed.

Usage: /usr/bin/python3 scripts/bench/numpy_logmel.py PREPROCESSING_JSON [SCENES]
Prints one JSON object: {"msPerScene": median, "p95MsPerScene": ..., "numpy": version}.
Exit code 3 (and {"absent": "numpy"}) when numpy is not installed.
"""
import importlib.util
import json
import pathlib
import sys
import time

try:
    import numpy as np
except ImportError:
    print(json.dumps({"absent": "numpy"}))
    sys.exit(3)

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "reference", ROOT / "training" / "reference" / "make_logmel_vectors.py"
)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)

P = json.loads(pathlib.Path(sys.argv[1]).read_text())
SCENES = int(sys.argv[2]) if len(sys.argv) > 2 else 200
RECEIVERS = 3

mel = ref.mel_matrix(P)
n_fft, hop, n_frames = P["nFft"], P["hop"], P["nFrames"]
window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
floor = 10.0 ** (P["dbFloor"] / 10.0)
norm = n_fft * np.sum(window**2)


def log_mel(iq):
    # The reference's log_mel with the bank and window hoisted out of the call.
    x = iq[0::2].astype(np.float64) + 1j * iq[1::2].astype(np.float64)
    frames = np.stack([x[t * hop : t * hop + n_fft] * window for t in range(n_frames)])
    power = np.abs(np.fft.fft(frames, axis=1)) ** 2 / norm
    db = 10.0 * np.log10(np.maximum(power @ mel.T, floor))
    return db.T.astype(np.float32)


samples = n_fft + hop * (n_frames - 1)
rng = np.random.default_rng(1)
scenes = [
    [rng.standard_normal(2 * samples).astype(np.float32) * 0.01 for _ in range(RECEIVERS)]
    for _ in range(16)
]
# Same output as the reference (so the timed code is the contract, not a shortcut).
assert np.allclose(log_mel(scenes[0][0]), ref.log_mel(scenes[0][0], P), atol=1e-4)
for s in scenes[:4]:
    [log_mel(r) for r in s]  # warm-up
times = []
for i in range(SCENES):
    s = scenes[i % len(scenes)]
    t0 = time.perf_counter()
    for r in s:
        log_mel(r)
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(
    json.dumps(
        {
            "msPerScene": times[len(times) // 2],
            "p95MsPerScene": times[int(0.95 * len(times)) - 1],
            "numpy": np.__version__,
            "scenes": SCENES,
        }
    )
)
