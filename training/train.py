#!/usr/bin/env python3
"""Trains one localisation model on a dataset exported by training/exportDataset.ts and exports
it to ONNX together with its metadata.json.

    /usr/bin/python3 training/train.py --data training/data/train --val training/data/val \
        --covariance full --version 1.1.0 --epochs 14 --out public/models/1.1.0

Architecture (shared/MODEL_NOTES.md): one CNN encoder shared by all receivers (the batch is
reshaped to (B*R, 1, mels, frames)), the R embeddings concatenated in receiver order, an MLP
head. Loss: 2-D Gaussian negative log-likelihood of the transmitter position in metres, in an
east/north frame centred on the region (after one epoch of MSE warm-up). The exported graph
converts the mean back to latitude/longitude, so the ONNX output follows the model contract.
"""
import argparse
import datetime
import hashlib
import json
import math
import pathlib
import time

import numpy as np
import torch
from torch import nn

WGS84_A = 6378137.0
WGS84_E2 = 6.69437999014e-3
POSITION_SCALE_M = 100_000.0  # the network predicts positions in units of 100 km


def frame_radii(lat0_deg):
    """Meridional and prime-vertical radii of curvature of WGS84 at lat0 (metres)."""
    s2 = math.sin(math.radians(lat0_deg)) ** 2
    rm = WGS84_A * (1 - WGS84_E2) / (1 - WGS84_E2 * s2) ** 1.5
    rn = WGS84_A / math.sqrt(1 - WGS84_E2 * s2)
    return rm, rn


class Frame:
    """Equirectangular east/north metres about (lat0, lon0): linear in lat/lon, so the exported
    graph inverts it exactly. Its scale differs from the local tangent plane at the estimate by
    under 2% across the region (cos(lat) varies that little over +-1.1 deg)."""

    def __init__(self, lat0, lon0):
        self.lat0, self.lon0 = lat0, lon0
        rm, rn = frame_radii(lat0)
        self.m_per_deg_n = rm * math.pi / 180
        self.m_per_deg_e = rn * math.cos(math.radians(lat0)) * math.pi / 180

    def to_en(self, lat, lon):
        return np.stack([(lon - self.lon0) * self.m_per_deg_e, (lat - self.lat0) * self.m_per_deg_n], axis=-1)


def load(folder):
    folder = pathlib.Path(folder)
    meta = json.loads((folder / "meta.json").read_text())
    xs, ys = [], []
    for k in range(meta["shards"]):
        xs.append(np.load(folder / f"features-{k}.npy"))
        ys.append(np.load(folder / f"labels-{k}.npy"))
    return np.concatenate(xs), np.concatenate(ys), meta


def conv(cin, cout, k, s):
    pad = (k[0] // 2, k[1] // 2)
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride=s, padding=pad, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class Net(nn.Module):
    def __init__(self, receivers, mels, frames, outputs):
        super().__init__()
        self.receivers, self.mels, self.frames = receivers, mels, frames
        self.encoder = nn.Sequential(
            conv(1, 24, (5, 5), (2, 4)),  # reduce time early: stride 4 along frames
            conv(24, 32, (3, 3), (2, 1)),
            conv(32, 64, (3, 3), (2, 2)),
            conv(64, 64, (3, 3), (2, 1)),
        )
        emb = 128
        self.head = nn.Sequential(
            nn.Linear(receivers * emb, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, outputs)
        )

    def forward(self, x):
        z = self.encoder(x.reshape(-1, 1, self.mels, self.frames))
        z = torch.cat([z.mean(dim=(2, 3)), z.amax(dim=(2, 3))], dim=1)
        return self.head(z.reshape(-1, self.receivers * z.shape[1]))


def gaussian(raw, full):
    """Raw network outputs -> mean (metres), sigmas (metres), rho."""
    mean = raw[:, 0:2] * POSITION_SCALE_M
    sig = torch.nn.functional.softplus(raw[:, 2:4]) * POSITION_SCALE_M + 1000.0  # at least 1 km
    rho = 0.98 * torch.tanh(raw[:, 4]) if full else torch.zeros_like(raw[:, 0])
    return mean, sig, rho


def nll(mean, sig, rho, target):
    d = (target - mean) / sig
    one_m_r2 = 1 - rho**2
    q = (d[:, 0] ** 2 - 2 * rho * d[:, 0] * d[:, 1] + d[:, 1] ** 2) / one_m_r2
    return (0.5 * q + torch.log(sig[:, 0]) + torch.log(sig[:, 1]) + 0.5 * torch.log(one_m_r2)).mean()


def mahalanobis2(mean, sig, rho, target):
    d = (target - mean) / sig
    return (d[:, 0] ** 2 - 2 * rho * d[:, 0] * d[:, 1] + d[:, 1] ** 2) / (1 - rho**2)


class Exported(nn.Module):
    """The ONNX graph: features -> [lat, lon, sigmaEastM, sigmaNorthM(, rhoEastNorth)]."""

    def __init__(self, net, frame, full, cov_scale):
        super().__init__()
        self.net, self.frame, self.full = net, frame, full
        self.sigma_scale = math.sqrt(cov_scale)

    def forward(self, logmel):
        mean, sig, rho = gaussian(self.net(logmel), self.full)
        lat = self.frame.lat0 + mean[:, 1] / self.frame.m_per_deg_n
        lon = self.frame.lon0 + mean[:, 0] / self.frame.m_per_deg_e
        cols = [lat, lon, sig[:, 0] * self.sigma_scale, sig[:, 1] * self.sigma_scale]
        if self.full:
            cols.append(rho)
        return torch.stack(cols, dim=1)


def predict(net, x, full, batch=1024):
    net.eval()
    outs = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            outs.append(gaussian(net(torch.from_numpy(x[i : i + batch])), full))
    return [torch.cat([o[k] for o in outs]) for k in range(3)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--val", required=True)
    ap.add_argument("--covariance", choices=["diagonal", "full"], required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--epochs", type=int, default=14)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    full = args.covariance == "full"

    x, y, meta = load(args.data)
    xv, yv, vmeta = load(args.val)
    region = meta.get("region") or {"latMin": 43.8, "latMax": 46.0, "lonMin": 6.6, "lonMax": 9.8}
    frame = Frame((region["latMin"] + region["latMax"]) / 2, (region["lonMin"] + region["lonMax"]) / 2)
    t = torch.from_numpy(frame.to_en(y[:, 0].astype(np.float64), y[:, 1].astype(np.float64)).astype(np.float32))
    tv = torch.from_numpy(frame.to_en(yv[:, 0].astype(np.float64), yv[:, 1].astype(np.float64)).astype(np.float32))
    r, m, f = x.shape[1:]
    net = Net(r, m, f, 5 if full else 4)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.epochs * math.ceil(len(x) / args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.1)
    xt = torch.from_numpy(x)
    print(f"train {len(x)} scenes, val {len(xv)}, params {sum(p.numel() for p in net.parameters())}", flush=True)
    history = []
    for epoch in range(args.epochs):
        net.train()
        perm = torch.randperm(len(x))
        t0, total = time.time(), 0.0
        for i in range(0, len(x), args.batch):
            idx = perm[i : i + args.batch]
            mean, sig, rho = gaussian(net(xt[idx]), full)
            if epoch == 0:  # MSE warm-up: place the means before learning the spreads
                loss = (((mean - t[idx]) / POSITION_SCALE_M) ** 2).mean()
            else:
                loss = nll(mean, sig, rho, t[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        mean, sig, rho = predict(net, xv, full)
        err_km = torch.linalg.norm(mean - tv, dim=1) / 1000
        d2 = mahalanobis2(mean, sig, rho, tv)
        row = {
            "epoch": epoch + 1,
            "loss": total / len(x),
            "valNll": nll(mean, sig, rho, tv).item(),
            "valMedianKm": err_km.median().item(),
            "valCov68": (d2 <= -2 * math.log(1 - 0.68)).float().mean().item(),
            "valCov95": (d2 <= -2 * math.log(1 - 0.95)).float().mean().item(),
            "seconds": time.time() - t0,
        }
        history.append(row)
        print(json.dumps(row), flush=True)

    # Post-hoc calibration on the validation set: the covariance scale s that minimises the
    # Gaussian NLL is mean(d^2) / 2 for a 2-D Gaussian (d^2 the Mahalanobis distance).
    mean, sig, rho = predict(net, xv, full)
    cov_scale = float(mahalanobis2(mean, sig, rho, tv).mean().item() / 2)
    print(f"covariance scale from validation: {cov_scale:.4f}", flush=True)

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    exported = Exported(net.eval(), frame, full, cov_scale).eval()
    onnx_path = out / "model.onnx"
    torch.onnx.export(
        exported,
        torch.from_numpy(xv[:2]),
        str(onnx_path),
        input_names=["logmel"],
        output_names=["estimate"],
        dynamic_axes={"logmel": {0: "batch"}, "estimate": {0: "batch"}},
        opset_version=13,
    )
    blob = onnx_path.read_bytes()
    layout = ["lat", "lon", "sigmaEastM", "sigmaNorthM"] + (["rhoEastNorth"] if full else [])
    metadata = {
        "schema": "heimdall.model/1",
        "version": args.version,
        "description": (
            "CNN with a receiver-shared encoder, "
            + ("full 2x2 covariance (east-north correlation)" if full else "diagonal covariance (sigma east, sigma north)")
        ),
        "created": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "file": "model.onnx",
        "sha256": hashlib.sha256(blob).hexdigest(),
        "sizeBytes": len(blob),
        "constellation": meta["constellation"],
        "preprocessing": meta["preprocessing"],
        "input": {"name": "logmel", "shape": ["batch", r, m, f]},
        "output": {"name": "estimate", "covariance": args.covariance, "layout": layout, "frame": "local-east-north-at-estimate"},
        "training": {
            "data": f"{meta['scenes']} simulated scenes, seed {meta['seed']}, physics preset '{meta['physics']}'",
            "physics": meta["ranges"],
            "validation": f"{vmeta['scenes']} scenes, seed {vmeta['seed']}, physics '{vmeta['physics']}'",
            "epochs": args.epochs,
            "batch": args.batch,
            "optimizer": f"AdamW lr {args.lr} one-cycle, weight decay 1e-4; 1 epoch MSE warm-up then Gaussian NLL",
            "trainingFrame": {"type": "equirectangular", "lat0": frame.lat0, "lon0": frame.lon0},
            "covarianceScale": cov_scale,
            "torch": torch.__version__,
            "history": history,
            "command": "npm run train",
        },
        "evaluation": [],
    }
    (out / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
    print(f"wrote {onnx_path} ({len(blob)} bytes)")


if __name__ == "__main__":
    main()
