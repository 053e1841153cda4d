#!/usr/bin/env python3
"""Makes two tiny ONNX models that follow the model contract, for the worker and e2e tests only.

They are NOT trained: the weights are fixed pseudo-random numbers (seeded), so the outputs are
deterministic functions of the input that vary from scene to scene, which is all the tests need
(output parity with onnxruntime-node, caching, version isolation, A/B routing). A few KB each,
so the tests never depend on the real models under public/models/.

  1.0.0: diagonal covariance, output (batch, 4) = lat, lon, sigmaEastM, sigmaNorthM
  1.1.0: full covariance,     output (batch, 5) = ... plus rhoEastNorth
  1.2.0: diagonal, but its sigmas are negative on purpose: a model that loads and runs yet whose
         every output is impossible (decode rejects it), for the A/B fall-back tests. It is not
         in registry.json; tests that need it write their own registry.

Run with Debian's interpreter (it has torch and onnx):
  /usr/bin/python3 training/reference/make_test_model.py
Writes tests/fixtures/models/{registry.json, tiny-1.0.0/, tiny-1.1.0/} (model.onnx, metadata.json).
Only operators every execution provider has (Conv, Relu, ReduceMean/Max, Gemm, Tanh, Sigmoid,
Concat) are used, so the same file runs on WASM and on WebGPU.
"""
import datetime
import hashlib
import json
import pathlib

import onnx
import torch
from torch import nn

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "models"
CONSTELLATION = json.loads((ROOT / "training" / "constellation.json").read_text())
PREPROCESSING = json.loads((ROOT / "training" / "preprocessing.json").read_text())

# Centre and half-extent of the region the outputs are squashed into (the simulator's region).
LAT0, LON0, HALF_LAT_DEG, HALF_LON_DEG = 44.9, 8.2, 1.1, 1.6
MIN_SIGMA_M, SIGMA_RANGE_M = 1000.0, 20000.0
MAX_ABS_RHO = 0.9


class Tiny(nn.Module):
    def __init__(self, receivers, full, broken=False):
        super().__init__()
        self.receivers, self.full = receivers, full
        self.sigma_sign = -1.0 if broken else 1.0
        self.conv = nn.Conv2d(1, 4, (5, 5), stride=(4, 4))
        self.head = nn.Linear(receivers * 8, 5 if full else 4)

    def forward(self, logmel):
        b, r, m, f = logmel.shape
        z = torch.relu(self.conv(logmel.reshape(b * r, 1, m, f)))
        z = torch.cat([z.mean(dim=(2, 3)), z.amax(dim=(2, 3))], dim=1).reshape(b, r * 8)
        raw = self.head(z)
        cols = [
            LAT0 + HALF_LAT_DEG * torch.tanh(raw[:, 0]),
            LON0 + HALF_LON_DEG * torch.tanh(raw[:, 1]),
            self.sigma_sign * (MIN_SIGMA_M + SIGMA_RANGE_M * torch.sigmoid(raw[:, 2])),
            self.sigma_sign * (MIN_SIGMA_M + SIGMA_RANGE_M * torch.sigmoid(raw[:, 3])),
        ]
        if self.full:
            cols.append(MAX_ABS_RHO * torch.tanh(raw[:, 4]))
        return torch.stack(cols, dim=1)


def make(version, full, seed, broken=False):
    torch.manual_seed(seed)
    receivers = len(CONSTELLATION["receivers"])
    shape = (2, receivers, PREPROCESSING["nMels"], PREPROCESSING["nFrames"])
    model = Tiny(receivers, full, broken).eval()
    folder = OUT / f"tiny-{version}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "model.onnx"
    torch.onnx.export(
        model,
        torch.randn(shape),
        str(path),
        input_names=["logmel"],
        output_names=["estimate"],
        dynamic_axes={"logmel": {0: "batch"}, "estimate": {0: "batch"}},
        opset_version=13,
    )
    onnx.checker.check_model(onnx.load(str(path)))
    blob = path.read_bytes()
    layout = ["lat", "lon", "sigmaEastM", "sigmaNorthM"] + (["rhoEastNorth"] if full else [])
    metadata = {
        "schema": "heimdall.model/1",
        "version": version,
        "description": (
            "TEST ONLY: outputs negative sigmas on purpose"
            if broken
            else f"TEST ONLY: untrained tiny network with seeded weights ({'full' if full else 'diagonal'} covariance)"
        ),
        "created": datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc).isoformat(),
        "file": "model.onnx",
        "sha256": hashlib.sha256(blob).hexdigest(),
        "sizeBytes": len(blob),
        "constellation": CONSTELLATION,
        "preprocessing": PREPROCESSING,
        "input": {"name": "logmel", "shape": ["batch", receivers, shape[2], shape[3]]},
        "output": {
            "name": "estimate",
            "covariance": "full" if full else "diagonal",
            "layout": layout,
            "frame": "local-east-north-at-estimate",
        },
        "training": {"note": "not trained; made by training/reference/make_test_model.py", "seed": seed},
        "evaluation": [],
    }
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
    print(f"wrote {path} ({len(blob)} bytes, sha256 {metadata['sha256'][:12]}...)")


def main():
    make("1.0.0", full=False, seed=100)
    make("1.1.0", full=True, seed=110)
    make("1.2.0", full=False, seed=120, broken=True)
    registry = {
        "schema": "heimdall.registry/1",
        "models": [
            {"version": "1.0.0", "stage": "production", "weight": 0.7, "path": "tiny-1.0.0"},
            {"version": "1.1.0", "stage": "staging", "weight": 0.3, "path": "tiny-1.1.0"},
        ],
    }
    (OUT / "registry.json").write_text(json.dumps(registry, indent=2) + "\n")


if __name__ == "__main__":
    main()
